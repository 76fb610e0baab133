/**
 * The current process table of one agent as the hub knows it, mirrored into
 * the sink: replaced from a full getAllProcessInfo, merged row by row from a
 * newer one, or moved on by a reported state event. Until the first table
 * arrives it also holds what the sink recalled from before the connector
 * started, for poll mode to catch up from.
 */
import type { ProcessInfo } from '../../node-agent/api/types.js';
import type { HubEvent, ProcessSnapshot } from '../types.js';
import { diffSnapshots, sameRow, type SnapshotDiff } from './diff.js';
import { namespecOf, snapshotFromInfo, stateCodeOf } from './normalize.js';
import type { Clock, EventSink, LastKnownTable } from './types.js';

/** States in which getProcessInfo shows the live pid. */
const STATES_WITH_PID = new Set(['STARTING', 'RUNNING', 'STOPPING']);

export class SnapshotKeeper {
  readonly #rows = new Map<string, ProcessSnapshot>();
  #recalled: LastKnownTable | undefined;

  constructor(
    readonly agent: string,
    private readonly sink: EventSink,
    private readonly clock: Clock,
  ) {}

  get rows(): ProcessSnapshot[] {
    return [...this.#rows.values()];
  }

  get map(): ReadonlyMap<string, ProcessSnapshot> {
    return this.#rows;
  }

  /** What the sink kept from before; dropped once a table from the agent is stored. */
  get recalled(): LastKnownTable | undefined {
    return this.#recalled;
  }

  recall(table: LastKnownTable | undefined): void {
    this.#recalled = table;
  }

  /** Takes `rows` (already in the sink) as the table, without writing them again. */
  adopt(rows: Iterable<ProcessSnapshot>): void {
    this.#recalled = undefined;
    this.#rows.clear();
    for (const row of rows) this.#rows.set(namespecOf(row), row);
  }

  /** Full table from the agent; rows that did not change keep their `updated`. */
  replace(infos: readonly ProcessInfo[]): void {
    this.#recalled = undefined;
    const now = this.clock.now();
    const fresh = infos.map((info) => {
      const row = snapshotFromInfo(this.agent, info, now);
      const old = this.#rows.get(namespecOf(row));
      return old !== undefined && sameRow(old, row) ? { ...row, updated: old.updated } : row;
    });
    this.#rows.clear();
    for (const row of fresh) this.#rows.set(namespecOf(row), row);
    this.sink.replaceSnapshot(this.agent, this.rows);
  }

  /** A newer full table: stores only the rows that changed (all when some disappeared) and says what changed. */
  merge(infos: readonly ProcessInfo[]): SnapshotDiff {
    this.#recalled = undefined;
    const now = this.clock.now();
    const next = infos.map((info) => snapshotFromInfo(this.agent, info, now));
    const diff = diffSnapshots(this.#rows, next);
    if (diff.removed.length > 0) {
      this.replace(infos);
      return diff;
    }
    // Descriptions (uptime) refresh in memory without a store write.
    for (const row of next) {
      const old = this.#rows.get(namespecOf(row));
      if (old !== undefined) this.#rows.set(namespecOf(row), { ...row, updated: old.updated });
    }
    for (const row of diff.changed) {
      this.#rows.set(namespecOf(row), row);
      this.sink.updateSnapshot(this.agent, row);
    }
    return diff;
  }

  /** Moves a row on from a reported PROCESS_STATE_* event; true when a row changed. */
  applyEvent(event: HubEvent): boolean {
    if (event.type === 'PROCESS_GROUP_REMOVED' && event.group !== undefined) {
      const before = this.#rows.size;
      for (const [key, row] of this.#rows) if (row.group === event.group) this.#rows.delete(key);
      if (this.#rows.size !== before) this.sink.replaceSnapshot(this.agent, this.rows);
      return this.#rows.size !== before;
    }
    if (!event.type.startsWith('PROCESS_STATE_') || event.group === undefined || event.process === undefined) return false;
    const state = event.toState ?? event.type.slice('PROCESS_STATE_'.length);
    const key = namespecOf({ group: event.group, name: event.process });
    const old = this.#rows.get(key) ?? blankRow(this.agent, event.group, event.process);
    const seconds = Math.floor(event.time / 1000);
    const row: ProcessSnapshot = {
      ...old,
      state,
      statecode: stateCodeOf(state),
      pid: STATES_WITH_PID.has(state) ? (event.pid ?? (state === 'STARTING' ? 0 : old.pid)) : 0,
      start: state === 'STARTING' ? seconds : old.start,
      stop: state === 'STOPPED' || state === 'EXITED' ? seconds : old.stop,
      exitstatus: event.exitStatus ?? old.exitstatus,
      spawnerr: event.spawnErr ?? (state === 'RUNNING' ? '' : old.spawnerr),
      updated: this.clock.now(),
    };
    this.#rows.set(key, row);
    this.sink.updateSnapshot(this.agent, row);
    return true;
  }

  clear(): void {
    this.#rows.clear();
  }
}

function blankRow(agent: string, group: string, name: string): ProcessSnapshot {
  return { agent, group, name, state: 'UNKNOWN', statecode: 1000, pid: 0, description: '', start: 0, stop: 0, exitstatus: 0, spawnerr: '', updated: 0 };
}
