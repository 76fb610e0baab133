/**
 * Opens the hub's SQLite database: WAL journal, pragmas for a single-writer
 * daemon, and the ordered schema migrations applied exactly once each.
 */
import Database from 'better-sqlite3';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { MIGRATIONS, type Migration } from './schema.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** The ordered migrations to apply (tests pass their own list). */
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's lock, ms (default 5000). */
  busyTimeoutMs?: number;
}

/** Opens (creating when missing) the database at `path`, or an in-memory one for ':memory:'. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path);
  try {
    // An in-memory database keeps journal_mode=memory; WAL only exists for files.
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 16384');
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Applies the migrations newer than the database's version, each in its own transaction. */
export function applyMigrations(db: Db, migrations: readonly Migration[]): number[] {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied INTEGER NOT NULL
  )`);
  const current = schemaVersion(db);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new FleetvisorError(
      'FV_STORE_SCHEMA',
      `the hub database is at schema version ${current}, newer than this fleetvisor-hub knows (${newest}); upgrade fleetvisor-hub`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(migration.up);
        record.run(migration.version, migration.name, Date.now());
      })();
    } catch (err) {
      throw new FleetvisorError('FV_STORE_SCHEMA', `migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(migration.version);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new FleetvisorError('FV_STORE_SCHEMA', `migration list out of order: entry ${index} has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
