/**
 * The current process table of every agent (what getAllProcessInfo last
 * said, kept fresh by events), so the API answers "what runs where" without
 * calling every host; and when the hub last reached each agent, so a
 * restarted hub can tell what changed while it was not watching.
 */
import type { Statement } from 'better-sqlite3';
import type { AgentHealth, ProcessSnapshot } from '../types.js';
import type { Db } from './db.js';

export interface SnapshotFilter {
  /** Agent name globs. */
  hosts?: readonly string[];
  tags?: readonly string[];
  groups?: readonly string[];
  processes?: readonly string[];
  /** State names, e.g. RUNNING, FATAL. */
  states?: readonly string[];
}

/** What the store holds of one agent from before: its table and the hub's last recorded contact. */
export interface StoredTable {
  rows: ProcessSnapshot[];
  /** The agent's boot at that contact (absent when none was recorded, e.g. a store from before migration 3). */
  boot?: string;
  /** Epoch ms of the hub's last recorded contact. */
  lastContact?: number;
}

interface SnapshotRow {
  agent: string;
  grp: string;
  name: string;
  state: string;
  statecode: number;
  pid: number;
  description: string;
  start: number;
  stop: number;
  exitstatus: number;
  spawnerr: string;
  updated: number;
}

export class SnapshotStore {
  readonly #db: Db;
  readonly #upsert: Statement;
  readonly #remove: Statement;
  readonly #removeAgent: Statement;
  readonly #namesOf: Statement;
  readonly #rowsOf: Statement;
  readonly #setContact: Statement;
  readonly #getContact: Statement;
  readonly #removeContact: Statement;
  readonly #replace: (agent: string, rows: readonly ProcessSnapshot[]) => void;

  constructor(db: Db) {
    this.#db = db;
    this.#upsert = db.prepare(`INSERT INTO snapshot
      (agent, grp, name, state, statecode, pid, description, start, stop, exitstatus, spawnerr, updated)
      VALUES (@agent, @grp, @name, @state, @statecode, @pid, @description, @start, @stop, @exitstatus, @spawnerr, @updated)
      ON CONFLICT (agent, grp, name) DO UPDATE SET
        state = excluded.state, statecode = excluded.statecode, pid = excluded.pid, description = excluded.description,
        start = excluded.start, stop = excluded.stop, exitstatus = excluded.exitstatus, spawnerr = excluded.spawnerr,
        updated = excluded.updated`);
    this.#remove = db.prepare('DELETE FROM snapshot WHERE agent = ? AND grp = ? AND name = ?');
    this.#removeAgent = db.prepare('DELETE FROM snapshot WHERE agent = ?');
    this.#namesOf = db.prepare('SELECT grp, name FROM snapshot WHERE agent = ?');
    this.#rowsOf = db.prepare('SELECT * FROM snapshot WHERE agent = ? ORDER BY grp, name');
    this.#setContact = db.prepare(`INSERT INTO agent_contact (agent, boot, last_contact) VALUES (?, ?, ?)
      ON CONFLICT (agent) DO UPDATE SET boot = excluded.boot, last_contact = excluded.last_contact`);
    this.#getContact = db.prepare('SELECT boot, last_contact FROM agent_contact WHERE agent = ?');
    this.#removeContact = db.prepare('DELETE FROM agent_contact WHERE agent = ?');
    this.#replace = db.transaction((agent: string, rows: readonly ProcessSnapshot[]) => {
      const keep = new Set(rows.map((row) => `${row.group}\u0000${row.name}`));
      for (const old of this.#namesOf.all(agent) as Array<{ grp: string; name: string }>) {
        if (!keep.has(`${old.grp}\u0000${old.name}`)) this.#remove.run(agent, old.grp, old.name);
      }
      for (const row of rows) this.#upsert.run(toRow({ ...row, agent }));
    });
  }

  /** Makes `rows` the whole process table of `agent` (a full resync). */
  replaceAgent(agent: string, rows: readonly ProcessSnapshot[]): void {
    this.#replace(agent, rows);
  }

  upsert(row: ProcessSnapshot): void {
    this.#upsert.run(toRow(row));
  }

  remove(agent: string, group: string, name: string): boolean {
    return this.#remove.run(agent, group, name).changes > 0;
  }

  /** Forgets the agent's table and its last contact; returns the table rows removed. */
  removeAgent(agent: string): number {
    this.#removeContact.run(agent);
    return this.#removeAgent.run(agent).changes;
  }

  /** Notes the hub's last contact with an agent (nothing before the first contact). */
  recordContact(health: Pick<AgentHealth, 'agent' | 'boot' | 'lastContact'>): void {
    if (health.lastContact === undefined) return;
    this.#setContact.run(health.agent, health.boot ?? '', health.lastContact);
  }

  /** The agent's stored table and last contact, exactly by name (no glob). */
  stored(agent: string): StoredTable {
    const rows = (this.#rowsOf.all(agent) as SnapshotRow[]).map(fromRow);
    const contact = this.#getContact.get(agent) as { boot: string; last_contact: number } | undefined;
    if (contact === undefined) return { rows };
    return { rows, ...(contact.boot !== '' ? { boot: contact.boot } : {}), lastContact: contact.last_contact };
  }

  list(filter: SnapshotFilter = {}): ProcessSnapshot[] {
    const where: string[] = [];
    const params: string[] = [];
    const anyOf = (column: string, values: readonly string[] | undefined, op: 'GLOB' | '='): void => {
      if (values === undefined || values.length === 0) return;
      where.push(`(${values.map(() => `${column} ${op} ?`).join(' OR ')})`);
      params.push(...values);
    };
    anyOf('agent', filter.hosts, 'GLOB');
    anyOf('grp', filter.groups, 'GLOB');
    anyOf('name', filter.processes, 'GLOB');
    anyOf('state', filter.states?.map((state) => state.toUpperCase()), '=');
    if (filter.tags !== undefined && filter.tags.length > 0) {
      where.push(`agent IN (SELECT a.name FROM agents a, json_each(a.tags) t WHERE t.value IN (${filter.tags.map(() => '?').join(', ')}))`);
      params.push(...filter.tags);
    }
    const sql = `SELECT * FROM snapshot ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY agent, grp, name`;
    return (this.#db.prepare(sql).all(...params) as SnapshotRow[]).map(fromRow);
  }
}

function toRow(row: ProcessSnapshot): SnapshotRow {
  return {
    agent: row.agent,
    grp: row.group,
    name: row.name,
    state: row.state,
    statecode: row.statecode,
    pid: row.pid,
    description: row.description,
    start: row.start,
    stop: row.stop,
    exitstatus: row.exitstatus,
    spawnerr: row.spawnerr,
    updated: row.updated,
  };
}

function fromRow(row: SnapshotRow): ProcessSnapshot {
  return {
    agent: row.agent,
    group: row.grp,
    name: row.name,
    state: row.state,
    statecode: row.statecode,
    pid: row.pid,
    description: row.description,
    start: row.start,
    stop: row.stop,
    exitstatus: row.exitstatus,
    spawnerr: row.spawnerr,
    updated: row.updated,
  };
}
