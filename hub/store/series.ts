/**
 * Interns the (agent, group, process) and (agent, boot id) pairs events
 * refer to, and keeps each process's last known state for the running-time
 * counters. Cached in memory; the cache is dropped when a batch rolls back.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

export interface SeriesEntry {
  id: number;
  /** Last state transition applied to the counters, and when it happened. */
  state: string | null;
  since: number | null;
  firstTime: number;
  /** Id and time of the newest EXITED or FATAL event. */
  lastExit: number | null;
  lastExitTime: number | null;
  dirty: boolean;
}

interface SeriesRow {
  id: number;
  state: string | null;
  state_since: number | null;
  first_time: number;
  last_exit: number | null;
  last_exit_time: number | null;
}

export class SeriesRegistry {
  // Nested by agent, group, process (and agent, boot): no key string is built per event.
  readonly #series = new Map<string, Map<string, Map<string, SeriesEntry>>>();
  readonly #boots = new Map<string, Map<string, number>>();
  readonly #dirty = new Set<SeriesEntry>();
  readonly #selectSeries: Statement;
  readonly #insertSeries: Statement;
  readonly #updateSeries: Statement;
  readonly #selectBoot: Statement;
  readonly #insertBoot: Statement;

  constructor(db: Db) {
    this.#selectSeries = db.prepare('SELECT id, state, state_since, first_time, last_exit, last_exit_time FROM series WHERE agent = ? AND grp = ? AND process = ?');
    this.#insertSeries = db.prepare('INSERT INTO series (agent, grp, process, first_time) VALUES (?, ?, ?, ?)');
    this.#updateSeries = db.prepare('UPDATE series SET state = ?, state_since = ?, first_time = ?, last_exit = ?, last_exit_time = ? WHERE id = ?');
    this.#selectBoot = db.prepare('SELECT id FROM boots WHERE agent = ? AND boot = ?');
    this.#insertBoot = db.prepare('INSERT INTO boots (agent, boot) VALUES (?, ?)');
  }

  /** The series of a process ('' group and process for agent-level events), created on first sight. */
  series(agent: string, group: string, process: string, time: number): SeriesEntry {
    let groups = this.#series.get(agent);
    if (groups === undefined) this.#series.set(agent, (groups = new Map()));
    let processes = groups.get(group);
    if (processes === undefined) groups.set(group, (processes = new Map()));
    let entry = processes.get(process);
    if (entry === undefined) {
      const row = this.#selectSeries.get(agent, group, process) as SeriesRow | undefined;
      if (row !== undefined) {
        entry = {
          id: row.id,
          state: row.state,
          since: row.state_since,
          firstTime: row.first_time,
          lastExit: row.last_exit,
          lastExitTime: row.last_exit_time,
          dirty: false,
        };
      } else {
        const id = Number(this.#insertSeries.run(agent, group, process, time).lastInsertRowid);
        entry = { id, state: null, since: null, firstTime: time, lastExit: null, lastExitTime: null, dirty: false };
      }
      processes.set(process, entry);
    }
    if (time < entry.firstTime) {
      entry.firstTime = time;
      this.markDirty(entry);
    }
    return entry;
  }

  boot(agent: string, boot: string): number {
    let boots = this.#boots.get(agent);
    if (boots === undefined) this.#boots.set(agent, (boots = new Map()));
    let id = boots.get(boot);
    if (id === undefined) {
      const row = this.#selectBoot.get(agent, boot) as { id: number } | undefined;
      id = row?.id ?? Number(this.#insertBoot.run(agent, boot).lastInsertRowid);
      boots.set(boot, id);
    }
    return id;
  }

  markDirty(entry: SeriesEntry): void {
    if (!entry.dirty) {
      entry.dirty = true;
      this.#dirty.add(entry);
    }
  }

  /** Writes changed series states; call inside the batch's transaction. */
  flush(): void {
    for (const entry of this.#dirty) {
      this.#updateSeries.run(entry.state, entry.since, entry.firstTime, entry.lastExit, entry.lastExitTime, entry.id);
      entry.dirty = false;
    }
    this.#dirty.clear();
  }

  /** Forgets everything cached: after a rollback the cache may name rows that no longer exist. */
  reset(): void {
    this.#series.clear();
    this.#boots.clear();
    this.#dirty.clear();
  }
}
