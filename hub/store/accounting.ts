/**
 * What counts in a process summary, shared by the hourly and daily counters
 * kept at ingest and the exact computation over raw events at a window's
 * edges:
 *
 * - a start is a transition to RUNNING (not STARTING: a plain supervisord
 *   polled every few seconds often shows no STARTING, and a start that dies
 *   in BACKOFF never ran);
 * - an unexpected exit is a transition to EXITED with expected = false;
 * - a fatal is a transition to FATAL;
 * - a failure (for MTBF) is an unexpected exit or a fatal;
 * - running time is the time between a transition to RUNNING and the next
 *   state transition of the same process (or now, while still RUNNING).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface Counters {
  starts: number;
  unexpectedExits: number;
  fatals: number;
  runningMs: number;
}

export function emptyCounters(): Counters {
  return { starts: 0, unexpectedExits: 0, fatals: 0, runningMs: 0 };
}

export function addCounters(into: Counters, more: Counters): void {
  into.starts += more.starts;
  into.unexpectedExits += more.unexpectedExits;
  into.fatals += more.fatals;
  into.runningMs += more.runningMs;
}

/** Counts one state transition into `counters` (running time is added by the caller). */
export function countTransition(counters: Counters, toState: string, expected: boolean | null | undefined): void {
  if (toState === 'RUNNING') counters.starts++;
  else if (toState === 'EXITED' && expected === false) counters.unexpectedExits++;
  else if (toState === 'FATAL') counters.fatals++;
}

export function floorTo(time: number, width: number): number {
  return Math.floor(time / width) * width;
}

export function ceilTo(time: number, width: number): number {
  return Math.ceil(time / width) * width;
}

interface Bucket {
  series: number;
  start: number;
  counters: Counters;
}

/**
 * Hourly and daily (UTC) counters gathered during one ingest batch, written
 * with one upsert per (series, bucket) touched when the batch commits.
 */
export class BucketAccumulator {
  readonly #hours = new Map<number, Bucket>();
  readonly #days = new Map<number, Bucket>();
  readonly #upsertHour: Statement;
  readonly #upsertDay: Statement;

  constructor(db: Db) {
    const upsert = (table: string, column: string): Statement =>
      db.prepare(`INSERT INTO ${table} (series, ${column}, starts, unexpected_exits, fatals, running_ms)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (series, ${column}) DO UPDATE SET
          starts = starts + excluded.starts,
          unexpected_exits = unexpected_exits + excluded.unexpected_exits,
          fatals = fatals + excluded.fatals,
          running_ms = running_ms + excluded.running_ms`);
    this.#upsertHour = upsert('process_hourly', 'hour');
    this.#upsertDay = upsert('process_daily', 'day');
  }

  transition(series: number, time: number, toState: string, expected: boolean | null | undefined): void {
    if (toState !== 'RUNNING' && toState !== 'EXITED' && toState !== 'FATAL') return;
    countTransition(bucket(this.#hours, series, floorTo(time, HOUR_MS)), toState, expected);
    countTransition(bucket(this.#days, series, floorTo(time, DAY_MS)), toState, expected);
  }

  /** Spreads the running interval [from, to) over the hours and days it covers. */
  running(series: number, from: number, to: number): void {
    let start = from;
    while (start < to) {
      const hour = floorTo(start, HOUR_MS);
      const end = Math.min(to, hour + HOUR_MS);
      bucket(this.#hours, series, hour).runningMs += end - start;
      bucket(this.#days, series, floorTo(start, DAY_MS)).runningMs += end - start;
      start = end;
    }
  }

  /** Writes the gathered counters; call inside the batch's transaction. */
  flush(): void {
    for (const [buckets, upsert] of [[this.#hours, this.#upsertHour], [this.#days, this.#upsertDay]] as const) {
      for (const { series, start, counters } of buckets.values()) {
        upsert.run(series, start, counters.starts, counters.unexpectedExits, counters.fatals, counters.runningMs);
      }
      buckets.clear();
    }
  }

  /** Forgets the gathered counters (the batch's transaction rolled back). */
  discard(): void {
    this.#hours.clear();
    this.#days.clear();
  }
}

function bucket(buckets: Map<number, Bucket>, series: number, start: number): Counters {
  // A number key (series, hour index) is cheaper than a string one on the ingest path; exact below 2^53.
  const key = series * 1e7 + start / HOUR_MS;
  let found = buckets.get(key);
  if (found === undefined) {
    found = { series, start, counters: emptyCounters() };
    buckets.set(key, found);
  }
  return found.counters;
}
