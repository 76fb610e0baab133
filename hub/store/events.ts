/**
 * Writes the fleet's events: one transaction per batch that stores the
 * events, the hourly counters and the agent's subscription cursor together,
 * so after a crash the cursor never points past or before what was stored.
 * Reported events are unique by (agent, boot, serial); a replayed one is
 * ignored.
 */
import type { Statement, Transaction } from 'better-sqlite3';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import type { HubEvent } from '../types.js';
import { BucketAccumulator } from './accounting.js';
import type { Db } from './db.js';
import { EVENT_COLUMNS, EVENT_FROM, toHubEvent, type EventRow } from './event-rows.js';
import { SeriesRegistry, type SeriesEntry } from './series.js';

/** Events per INSERT statement: fewer calls into SQLite, well under its 32,766 parameters. */
const ROWS_PER_INSERT = 50;
const COLUMNS_PER_ROW = 16;

export interface IngestResult {
  inserted: number;
  duplicates: number;
  /** The events stored by this call, with their ids, in input order (duplicates left out). */
  events: HubEvent[];
}

export class EventStore {
  readonly #db: Db;
  readonly #registry: SeriesRegistry;
  readonly #buckets: BucketAccumulator;
  readonly #inserts = new Map<number, Statement>();
  readonly #maxId: Statement;
  readonly #idsFrom: Statement;
  readonly #setCursor: Statement;
  readonly #getCursor: Statement;
  readonly #deleteCursor: Statement;
  readonly #addRows: Statement;
  readonly #getRows: Statement;
  readonly #attachCrash: Statement;
  readonly #getEvent: Statement;
  readonly #ingestTx: Transaction<(agent: string, events: readonly HubEvent[], cursor: string | undefined) => IngestResult>;

  constructor(db: Db) {
    this.#db = db;
    this.#registry = new SeriesRegistry(db);
    this.#buckets = new BucketAccumulator(db);
    this.#maxId = db.prepare('SELECT max(id) AS id FROM events');
    this.#idsFrom = db.prepare('SELECT id FROM events WHERE id >= ? AND id < ?').pluck();
    this.#setCursor = db.prepare(`INSERT INTO agent_cursors (agent, cursor, updated) VALUES (?, ?, ?)
      ON CONFLICT (agent) DO UPDATE SET cursor = excluded.cursor, updated = excluded.updated`);
    this.#getCursor = db.prepare('SELECT cursor FROM agent_cursors WHERE agent = ?');
    this.#deleteCursor = db.prepare('DELETE FROM agent_cursors WHERE agent = ?');
    this.#addRows = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'event_rows'");
    this.#getRows = db.prepare("SELECT value FROM meta WHERE key = 'event_rows'");
    this.#attachCrash = db.prepare('UPDATE events SET crash_stdout = ?, crash_stderr = ? WHERE id = ?');
    this.#getEvent = db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.id = ?`);
    this.#ingestTx = db.transaction((agent: string, events: readonly HubEvent[], cursor: string | undefined) =>
      this.#ingestInTransaction(agent, events, cursor),
    );
  }

  /**
   * Stores `events` of `agent` and, when given, the agent's cursor after
   * them, all in one transaction. Call with no events to move the cursor alone.
   */
  ingest(agent: string, events: readonly HubEvent[], cursor?: string): IngestResult {
    for (const event of events) checkEvent(agent, event);
    try {
      // IMMEDIATE: the write lock is held from the start, so the newest id read first stays the newest.
      return this.#ingestTx.immediate(agent, events, cursor);
    } catch (err) {
      this.#registry.reset();
      this.#buckets.discard();
      throw err;
    }
  }

  getCursor(agent: string): string | undefined {
    const row = this.#getCursor.get(agent) as { cursor: string } | undefined;
    return row?.cursor;
  }

  /** Forgets an agent's cursor (the next subscription starts from the oldest event the agent holds). */
  clearCursor(agent: string): void {
    this.#deleteCursor.run(agent);
  }

  /** Saves the log tails fetched after a crash with the event they explain. False when the event is gone. */
  attachCrashContext(eventId: number, stdout: string, stderr: string): boolean {
    return this.#attachCrash.run(stdout, stderr, eventId).changes === 1;
  }

  getEvent(id: number): HubEvent | undefined {
    const row = this.#getEvent.get(id) as EventRow | undefined;
    return row === undefined ? undefined : toHubEvent(row);
  }

  /** Events currently stored (kept exactly at ingest and retention). */
  count(): number {
    return (this.#getRows.get() as { value: number }).value;
  }

  #ingestInTransaction(agent: string, events: readonly HubEvent[], cursor: string | undefined): IngestResult {
    // Ids are given explicitly (the next after the newest, as SQLite would pick) so that a
    // multi-row INSERT still tells which event got which id; an ignored duplicate leaves a gap.
    const firstId = ((this.#maxId.get() as { id: number | null }).id ?? 0) + 1;
    const series: SeriesEntry[] = new Array<SeriesEntry>(events.length);
    let inserted = 0;
    for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
      const end = Math.min(events.length, start + ROWS_PER_INSERT);
      const args: unknown[] = new Array<unknown>((end - start) * COLUMNS_PER_ROW);
      let k = 0;
      for (let i = start; i < end; i++) {
        const event = events[i];
        const entry = this.#registry.series(agent, event.group ?? '', event.process ?? '', event.time);
        series[i] = entry;
        args[k++] = firstId + i;
        args[k++] = entry.id;
        args[k++] = this.#registry.boot(agent, event.boot);
        args[k++] = event.serial;
        args[k++] = event.time;
        args[k++] = event.type;
        args[k++] = event.fromState ?? null;
        args[k++] = event.toState ?? null;
        args[k++] = event.pid ?? null;
        args[k++] = event.expected === undefined ? null : event.expected ? 1 : 0;
        args[k++] = event.exitStatus ?? null;
        args[k++] = event.spawnErr ?? null;
        args[k++] = event.observed ? 1 : 0;
        args[k++] = event.payload ?? null;
        args[k++] = event.crashStdout ?? null;
        args[k++] = event.crashStderr ?? null;
      }
      inserted += this.#insertRows(end - start).run(args).changes;
    }
    // Only when some were ignored as duplicates: which ids made it.
    const present = inserted === events.length ? undefined
      : new Set(this.#idsFrom.all(firstId, firstId + events.length) as number[]);
    const stored: HubEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const id = firstId + i;
      if (present !== undefined && !present.has(id)) continue;
      const event = events[i];
      stored.push({ ...event, agent, id });
      if (event.toState !== undefined && event.process !== undefined) {
        const entry = series[i];
        this.#account(entry, event.time, event.toState, event.expected);
        if ((event.toState === 'EXITED' || event.toState === 'FATAL') && event.time >= (entry.lastExitTime ?? -Infinity)) {
          entry.lastExit = id;
          entry.lastExitTime = event.time;
          this.#registry.markDirty(entry);
        }
      }
    }
    this.#buckets.flush();
    this.#registry.flush();
    if (stored.length > 0) this.#addRows.run(stored.length);
    if (cursor !== undefined) this.#setCursor.run(agent, cursor, Date.now());
    return { inserted: stored.length, duplicates: events.length - stored.length, events: stored };
  }

  /** The INSERT statement for `rows` events, prepared on first use. */
  #insertRows(rows: number): Statement {
    let statement = this.#inserts.get(rows);
    if (statement === undefined) {
      const values = Array.from({ length: rows }, () => `(${new Array(COLUMNS_PER_ROW).fill('?').join(', ')})`).join(',\n');
      statement = this.#db.prepare(`INSERT OR IGNORE INTO events
        (id, series, boot, serial, time, type, from_state, to_state, pid, expected, exit_status, spawn_err, observed, payload, crash_stdout, crash_stderr)
        VALUES ${values}`);
      this.#inserts.set(rows, statement);
    }
    return statement;
  }

  /**
   * Applies one state transition to the hourly and daily counters. An event older than
   * the last transition applied (a late observed event) is counted but does
   * not rewind the state: running time only moves forward.
   */
  #account(series: SeriesEntry, time: number, toState: string, expected: boolean | undefined): void {
    this.#buckets.transition(series.id, time, toState, expected);
    if (series.since !== null && time < series.since) return;
    if (series.state === 'RUNNING' && series.since !== null) this.#buckets.running(series.id, series.since, time);
    series.state = toState;
    series.since = time;
    this.#registry.markDirty(series);
  }
}

function checkEvent(agent: string, event: HubEvent): void {
  const problem =
    event.agent !== agent ? `belongs to agent ${JSON.stringify(event.agent)}, not ${JSON.stringify(agent)}`
    : !Number.isFinite(event.time) ? 'has no finite time'
    : typeof event.type !== 'string' || event.type === '' ? 'has no type'
    : typeof event.boot !== 'string' ? 'has no boot id'
    : event.serial !== null && !Number.isSafeInteger(event.serial) ? 'has a serial that is not an integer'
    : undefined;
  if (problem !== undefined) throw new FleetvisorError('FV_STORE_BAD_INPUT', `event ${event.type ?? '?'} ${problem}`);
}
