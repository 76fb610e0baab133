/**
 * Keeps the event history bounded by age and by row count. Rows go in small
 * chunks, one short transaction each, yielding to the event loop between
 * chunks so ingest batches interleave instead of waiting for a long delete.
 */
import type { Statement } from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DAY_MS, floorTo, HOUR_MS } from './accounting.js';
import type { Db } from './db.js';

export interface RetentionPolicy {
  /** Events older than this go (default: keep forever). Hourly and daily counters follow the same age (a bucket goes once it ends before the cutoff). */
  maxAgeMs?: number;
  /** At most this many events are kept; the oldest stored go first (default: no limit). */
  maxRows?: number;
  /** Pause between passes, ms (default 10 minutes). */
  intervalMs?: number;
  /** Rows deleted per transaction (default 2000). */
  chunkRows?: number;
}

export interface RetentionPassResult {
  deletedByAge: number;
  deletedByRows: number;
  counterRowsDeleted: number;
}

export const RETENTION_DEFAULTS = { intervalMs: 600_000, chunkRows: 2000 } as const;

export class Retention {
  readonly policy: Readonly<RetentionPolicy>;
  readonly #clock: () => number;
  readonly #deleteOlder: (cutoff: number, limit: number) => number;
  readonly #deleteOldest: (limit: number) => number;
  readonly #deleteHourly: Statement;
  readonly #deleteDaily: Statement;
  readonly #rowCount: Statement;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #running: Promise<RetentionPassResult> | undefined;

  constructor(db: Db, policy: RetentionPolicy = {}, clock: () => number = Date.now) {
    for (const key of ['maxAgeMs', 'maxRows', 'intervalMs', 'chunkRows'] as const) {
      const value = policy[key];
      if (value !== undefined && (!Number.isFinite(value) || value <= 0)) throw new RangeError(`retention ${key} must be a positive number, not ${value}`);
    }
    this.policy = Object.freeze({ ...RETENTION_DEFAULTS, ...policy });
    this.#clock = clock;
    const deleteOlder = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? ORDER BY time LIMIT ?)');
    const deleteOldest = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)');
    const subtract = db.prepare("UPDATE meta SET value = value - ? WHERE key = 'event_rows'");
    this.#deleteOlder = db.transaction((cutoff: number, limit: number) => {
      const { changes } = deleteOlder.run(cutoff, limit);
      subtract.run(changes);
      return changes;
    });
    this.#deleteOldest = db.transaction((limit: number) => {
      const { changes } = deleteOldest.run(limit);
      subtract.run(changes);
      return changes;
    });
    this.#deleteHourly = db.prepare('DELETE FROM process_hourly WHERE (series, hour) IN (SELECT series, hour FROM process_hourly WHERE hour < ? LIMIT ?)');
    this.#deleteDaily = db.prepare('DELETE FROM process_daily WHERE (series, day) IN (SELECT series, day FROM process_daily WHERE day < ? LIMIT ?)');
    this.#rowCount = db.prepare("SELECT value FROM meta WHERE key = 'event_rows'");
  }

  /** Runs a pass now and then every intervalMs, until stop(). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** No chunk runs after this returns; a pass in progress ends at its next chunk. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One full pass (or the one already running). */
  runOnce(): Promise<RetentionPassResult> {
    this.#running ??= this.#pass(this.#stopped).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.runOnce().finally(() => {
        if (!this.#stopped) this.#schedule(this.policy.intervalMs!);
      });
    }, delay);
    this.#timer.unref();
  }

  /** `manual`: a runOnce() outside start()/stop(), which stop() must not cut short. */
  async #pass(manual: boolean): Promise<RetentionPassResult> {
    const result: RetentionPassResult = { deletedByAge: 0, deletedByRows: 0, counterRowsDeleted: 0 };
    const chunk = this.policy.chunkRows!;
    const halted = (): boolean => !manual && this.#stopped;
    if (this.policy.maxAgeMs !== undefined) {
      const cutoff = this.#clock() - this.policy.maxAgeMs;
      while (!halted()) {
        const deleted = this.#deleteOlder(cutoff, chunk);
        result.deletedByAge += deleted;
        if (deleted < chunk) break;
        await yieldToEventLoop();
      }
      for (const [statement, bucketStart] of [
        [this.#deleteHourly, floorTo(cutoff, HOUR_MS)],
        [this.#deleteDaily, floorTo(cutoff, DAY_MS)],
      ] as const) {
        while (!halted()) {
          const deleted = statement.run(bucketStart, chunk).changes;
          result.counterRowsDeleted += deleted;
          if (deleted < chunk) break;
          await yieldToEventLoop();
        }
      }
    }
    if (this.policy.maxRows !== undefined) {
      while (!halted()) {
        const excess = (this.#rowCount.get() as { value: number }).value - this.policy.maxRows;
        if (excess <= 0) break;
        result.deletedByRows += this.#deleteOldest(Math.min(excess, chunk));
        await yieldToEventLoop();
      }
    }
    return result;
  }
}
