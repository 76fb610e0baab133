import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { openDatabase, schemaVersion } from '../../hub/store/db.js';
import { HubStore } from '../../hub/store/index.js';
import { MIGRATIONS } from '../../hub/store/schema.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { stateEvent, T0, tempStore } from './helpers.js';

test('a new database is in WAL mode with the pragmas set and every migration applied once', () => {
  const t = tempStore();
  try {
    assert.equal(t.store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(t.store.db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(t.store.db.pragma('synchronous', { simple: true }), 1); // NORMAL
    assert.equal(t.store.db.pragma('busy_timeout', { simple: true }), 5000);
    assert.equal(t.store.schemaVersion, MIGRATIONS.length);
    t.store.events.ingest('a', [stateEvent('a', 'p', 'RUNNING', T0, 1)]);
    assert.ok(existsSync(`${t.path}-wal`));
  } finally {
    t.cleanup();
  }
});

test('reopening applies nothing again and keeps the data', () => {
  const t = tempStore();
  try {
    t.store.events.ingest('a', [stateEvent('a', 'p', 'RUNNING', T0, 1)], 'boot-1:1');
    const store = t.reopen();
    assert.equal(store.schemaVersion, MIGRATIONS.length);
    const rows = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    assert.equal(store.events.getCursor('a'), 'boot-1:1');
    assert.equal(store.events.count(), 1);
  } finally {
    t.cleanup();
  }
});

test('a later migration is applied to an existing database in order, once', () => {
  const t = tempStore();
  t.store.close();
  try {
    const extra = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)' }];
    const db = openDatabase(t.path, { migrations: extra });
    assert.equal(schemaVersion(db), extra.length);
    db.close();
    const again = openDatabase(t.path, { migrations: extra });
    assert.equal((again.prepare("SELECT count(*) AS n FROM schema_migrations WHERE name = 'notes'").get() as { n: number }).n, 1);
    again.close();
    // The older hub refuses the newer database instead of running on a schema it does not know.
    assert.throws(() => HubStore.open(t.path), (err: unknown) => err instanceof FleetvisorError && err.code === 'FV_STORE_SCHEMA');
  } finally {
    t.store = HubStore.open(':memory:');
    t.cleanup();
  }
});

test('a failing migration rolls back whole and is reported; a list out of order is refused', () => {
  const t = tempStore();
  t.store.close();
  try {
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE half (id INTEGER); SELECT * FROM missing_table;' }];
    assert.throws(() => openDatabase(t.path, { migrations: broken }), (err: unknown) => err instanceof FleetvisorError && err.code === 'FV_STORE_SCHEMA');
    const db = openDatabase(t.path);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get(), undefined);
    db.close();
    assert.throws(() => openDatabase(':memory:', { migrations: [{ version: 2, name: 'x', up: '' }] }), FleetvisorError);
  } finally {
    t.store = HubStore.open(':memory:');
    t.cleanup();
  }
});
