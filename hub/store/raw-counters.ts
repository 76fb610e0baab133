/**
 * Exact summary counters over [from, to) computed from raw events, used for
 * short windows and for the partial hours at a long window's edges. The
 * state at `from` comes from the last state event before it.
 */
import type { Statement } from 'better-sqlite3';
import { countTransition, emptyCounters, type Counters } from './accounting.js';
import type { Db } from './db.js';
import type { SeriesRef } from './selectors.js';

interface TransitionRow {
  series: number;
  time: number;
  to_state: string;
  expected: number | null;
}

/** Up to this many series, events are read per series; beyond, through the time index. */
const PER_SERIES_MAX = 64;

export class RawCounters {
  readonly #statesBefore: Statement;
  readonly #seriesRange: Statement;
  readonly #timeRange: Statement;

  constructor(db: Db) {
    // One statement for every series that needs it: the per-series lookups run inside SQLite.
    this.#statesBefore = db.prepare(`SELECT j.value AS series, (SELECT e.to_state FROM events e
        WHERE e.series = j.value AND e.time < ? AND e.to_state IS NOT NULL ORDER BY e.time DESC, e.id DESC LIMIT 1) AS state
      FROM json_each(?) j`);
    this.#seriesRange = db.prepare(`SELECT series, time, to_state, expected FROM events
      WHERE series = ? AND time >= ? AND time < ? AND to_state IS NOT NULL ORDER BY time, id`);
    this.#timeRange = db.prepare(`SELECT series, time, to_state, expected FROM events
      WHERE time >= ? AND time < ? AND to_state IS NOT NULL ORDER BY time, id`);
  }

  /** Counters per series id over [from, to); running time stops at `now`. */
  compute(series: readonly SeriesRef[], from: number, to: number, now: number): Map<number, Counters> {
    const result = new Map<number, Counters>();
    if (from >= to) return result;
    const walkers = new Map<number, { state: string | null; since: number; counters: Counters }>();
    const states = this.#statesAt(series, from);
    for (const ref of series) {
      const counters = emptyCounters();
      result.set(ref.id, counters);
      walkers.set(ref.id, { state: states.get(ref.id) ?? null, since: from, counters });
    }
    const rows: TransitionRow[] = [];
    if (series.length <= PER_SERIES_MAX) {
      for (const ref of series) rows.push(...(this.#seriesRange.all(ref.id, from, to) as TransitionRow[]));
    } else {
      for (const row of this.#timeRange.iterate(from, to) as IterableIterator<TransitionRow>) {
        if (walkers.has(row.series)) rows.push(row);
      }
    }
    for (const row of rows) {
      const walker = walkers.get(row.series)!;
      countTransition(walker.counters, row.to_state, row.expected === null ? null : row.expected === 1);
      if (walker.state === 'RUNNING') walker.counters.runningMs += row.time - walker.since;
      walker.state = row.to_state;
      walker.since = row.time;
    }
    const end = Math.min(to, now);
    for (const walker of walkers.values()) {
      if (walker.state === 'RUNNING' && end > walker.since) walker.counters.runningMs += end - walker.since;
    }
    return result;
  }

  /** Each series' state just before `time` (absent: unknown). */
  #statesAt(series: readonly SeriesRef[], time: number): Map<number, string> {
    const states = new Map<number, string>();
    const lookups: number[] = [];
    for (const ref of series) {
      if (ref.firstTime >= time) continue;
      // The newest transition applied happened before `time`: nothing changed since.
      if (ref.stateSince !== null && ref.stateSince < time) {
        if (ref.state !== null) states.set(ref.id, ref.state);
      } else lookups.push(ref.id);
    }
    if (lookups.length > 0) {
      for (const row of this.#statesBefore.all(time, JSON.stringify(lookups)) as Array<{ series: number; state: string | null }>) {
        if (row.state !== null) states.set(row.series, row.state);
      }
    }
    return states;
  }
}
