/**
 * The agents the hub follows as stored rows: those from hub.ini (upserted at
 * start so tags work in queries for every agent; read-only through the API)
 * and those added at runtime through the API (persisted here).
 */
import type { Statement } from 'better-sqlite3';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import type { AgentSpec } from '../types.js';
import type { Db } from './db.js';

interface AgentRow {
  name: string;
  url: string;
  username: string | null;
  password: string | null;
  tags: string;
  source: AgentSpec['source'];
}

export type AgentChanges = Partial<Pick<AgentSpec, 'url' | 'username' | 'password' | 'tags'>>;

export class AgentStore {
  readonly #get: Statement;
  readonly #list: Statement;
  readonly #insert: Statement;
  readonly #upsertConfig: Statement;
  readonly #update: Statement;
  readonly #delete: Statement;
  readonly #syncConfig: (specs: readonly AgentSpec[], now: number) => void;

  constructor(db: Db) {
    this.#get = db.prepare('SELECT name, url, username, password, tags, source FROM agents WHERE name = ?');
    this.#list = db.prepare('SELECT name, url, username, password, tags, source FROM agents ORDER BY name');
    this.#insert = db.prepare(`INSERT INTO agents (name, url, username, password, tags, source, created, updated)
      VALUES (?, ?, ?, ?, ?, 'api', ?, ?)`);
    this.#upsertConfig = db.prepare(`INSERT INTO agents (name, url, username, password, tags, source, created, updated)
      VALUES (?, ?, ?, ?, ?, 'config', ?, ?)
      ON CONFLICT (name) DO UPDATE SET url = excluded.url, username = excluded.username, password = excluded.password,
        tags = excluded.tags, source = 'config', updated = excluded.updated`);
    this.#update = db.prepare('UPDATE agents SET url = ?, username = ?, password = ?, tags = ?, updated = ? WHERE name = ?');
    this.#delete = db.prepare('DELETE FROM agents WHERE name = ?');
    const configNames = db.prepare("SELECT name FROM agents WHERE source = 'config'");
    this.#syncConfig = db.transaction((specs: readonly AgentSpec[], now: number) => {
      const keep = new Set(specs.map((spec) => spec.name));
      for (const { name } of configNames.all() as Array<{ name: string }>) if (!keep.has(name)) this.#delete.run(name);
      for (const spec of specs) {
        this.#upsertConfig.run(spec.name, spec.url, spec.username ?? null, spec.password ?? null, JSON.stringify(spec.tags), now, now);
      }
    });
  }

  /**
   * Makes the config agents exactly `specs`: upserts each (a hub.ini agent
   * takes over a runtime one of the same name) and deletes config agents no
   * longer in hub.ini.
   */
  syncConfigAgents(specs: readonly AgentSpec[], now: number = Date.now()): void {
    this.#syncConfig(specs, now);
  }

  /** Adds a runtime agent; refuses a name already in use. */
  add(spec: Omit<AgentSpec, 'source'>, now: number = Date.now()): AgentSpec {
    if (spec.name === '') throw new FleetvisorError('FV_STORE_BAD_INPUT', 'an agent name must not be empty');
    if (this.get(spec.name) !== undefined) throw new FleetvisorError('FV_STORE_CONFLICT', `agent ${spec.name} already exists`);
    this.#insert.run(spec.name, spec.url, spec.username ?? null, spec.password ?? null, JSON.stringify(spec.tags), now, now);
    return this.get(spec.name)!;
  }

  /** Changes a runtime agent; config agents are read-only. */
  update(name: string, changes: AgentChanges, now: number = Date.now()): AgentSpec {
    const current = this.#runtime(name);
    const next = { ...current, ...changes };
    this.#update.run(next.url, next.username ?? null, next.password ?? null, JSON.stringify(next.tags), now, name);
    return this.get(name)!;
  }

  /** Removes a runtime agent; config agents are read-only. */
  remove(name: string): void {
    this.#runtime(name);
    this.#delete.run(name);
  }

  get(name: string): AgentSpec | undefined {
    const row = this.#get.get(name) as AgentRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  list(): AgentSpec[] {
    return (this.#list.all() as AgentRow[]).map(fromRow);
  }

  #runtime(name: string): AgentSpec {
    const current = this.get(name);
    if (current === undefined) throw new FleetvisorError('FV_STORE_NOT_FOUND', `no agent ${name}`);
    if (current.source === 'config') throw new FleetvisorError('FV_STORE_CONFLICT', `agent ${name} comes from hub.ini; change it there`);
    return current;
  }
}

function fromRow(row: AgentRow): AgentSpec {
  const spec: AgentSpec = { name: row.name, url: row.url, tags: JSON.parse(row.tags) as string[], source: row.source };
  if (row.username !== null) spec.username = row.username;
  if (row.password !== null) spec.password = row.password;
  return spec;
}
