/**
 * Per-process summaries over a period (per host, or per group:process across
 * hosts) and the list of processes flapping now. Whole hours inside the
 * window come from the daily and hourly counters kept at ingest; the partial
 * hours at its edges are computed exactly from raw events (see accounting.ts for what
 * each number counts).
 *
 * Uptime % = running time / known time, where known time is the part of the
 * window after the hub first saw the process and before now. MTBF = running
 * time / (unexpected exits + fatals), null without failures. The last exit is
 * the newest EXITED or FATAL event before the window's end (it may predate
 * the window), with its crash context.
 */
import type { Statement } from 'better-sqlite3';
import type { HubEvent } from '../types.js';
import { addCounters, ceilTo, DAY_MS, emptyCounters, floorTo, HOUR_MS, type Counters } from './accounting.js';
import type { Db } from './db.js';
import { EVENT_COLUMNS, EVENT_FROM, toHubEvent, type EventRow } from './event-rows.js';
import { RawCounters } from './raw-counters.js';
import { selectSeries, type SeriesRef, type SeriesSelector } from './selectors.js';
import { parseTimeSpec, type TimeSpec } from './time-spec.js';

export interface SummaryOptions extends SeriesSelector {
  /** Window start: epoch ms, ISO date or a span back from now ('30d'). */
  since: TimeSpec;
  /** Window end (default now). */
  until?: TimeSpec;
  /** true: one row per group:process summed over every matched host. */
  acrossHosts?: boolean;
}

export interface ProcessSummary {
  /** The host, for per-host rows. */
  agent?: string;
  /** The hosts summed into this row (one for per-host rows). */
  agents: string[];
  group: string;
  process: string;
  starts: number;
  unexpectedExits: number;
  fatals: number;
  runningMs: number;
  knownMs: number;
  /** 0..100, null when the process was never known in the window. */
  uptimePercent: number | null;
  mtbfMs: number | null;
  lastExit?: HubEvent;
}

export interface FlappingOptions extends SeriesSelector {
  /** Unexpected exits needed (default 5). */
  minExits?: number;
  /** Within this many minutes back from now (default 10). */
  windowMinutes?: number;
}

export interface FlappingProcess {
  agent: string;
  group: string;
  process: string;
  exits: number;
  firstExit: number;
  lastExit: number;
}

export const FLAPPING_DEFAULTS = { minExits: 5, windowMinutes: 10 } as const;

interface BucketSumRow {
  series: number;
  starts: number;
  unexpected_exits: number;
  fatals: number;
  running_ms: number;
}

export class Summaries {
  readonly #db: Db;
  readonly #raw: RawCounters;
  readonly #hourlySums: Statement;
  readonly #dailySums: Statement;
  readonly #lastExitIds: Statement;
  readonly #eventsById: Statement;
  readonly #flapping: Statement;

  constructor(db: Db) {
    this.#db = db;
    this.#raw = new RawCounters(db);
    const sums = (table: string, column: string): Statement =>
      db.prepare(`SELECT series, sum(starts) AS starts, sum(unexpected_exits) AS unexpected_exits,
        sum(fatals) AS fatals, sum(running_ms) AS running_ms
        FROM ${table} WHERE ${column} >= ? AND ${column} < ? GROUP BY series`);
    this.#hourlySums = sums('process_hourly', 'hour');
    this.#dailySums = sums('process_daily', 'day');
    this.#lastExitIds = db.prepare(`SELECT (SELECT x.id FROM events x
        WHERE x.series = j.value AND x.to_state IN ('EXITED', 'FATAL') AND x.time < ? ORDER BY x.time DESC, x.id DESC LIMIT 1) AS id
      FROM json_each(?) j`);
    this.#eventsById = db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.id IN (SELECT value FROM json_each(?))`);
    this.#flapping = db.prepare(`SELECT series, count(*) AS exits, min(time) AS first_exit, max(time) AS last_exit
      FROM events WHERE time >= ? AND time <= ? AND to_state = 'EXITED' AND expected = 0
      GROUP BY series HAVING count(*) >= ?`);
  }

  summarize(options: SummaryOptions, now: number = Date.now()): ProcessSummary[] {
    const since = parseTimeSpec(options.since, now);
    const until = options.until === undefined ? now : parseTimeSpec(options.until, now);
    const end = Math.min(until, now);
    const series = selectSeries(this.#db, options, true);
    const counters = this.#counters(series, since, end, now);
    const lastExits = this.#lastExits(series, until);
    const rows = series.map((ref) => this.#row(ref, counters.get(ref.id) ?? emptyCounters(), since, end, lastExits.get(ref.id)));
    return options.acrossHosts ? mergeAcrossHosts(rows) : rows;
  }

  /** Processes with at least `minExits` unexpected exits in the last `windowMinutes`. */
  flapping(options: FlappingOptions = {}, now: number = Date.now()): FlappingProcess[] {
    const minExits = options.minExits ?? FLAPPING_DEFAULTS.minExits;
    const windowMinutes = options.windowMinutes ?? FLAPPING_DEFAULTS.windowMinutes;
    const hits = this.#flapping.all(now - windowMinutes * 60_000, now, minExits) as Array<{
      series: number;
      exits: number;
      first_exit: number;
      last_exit: number;
    }>;
    if (hits.length === 0) return [];
    const byId = new Map(selectSeries(this.#db, options, true).map((ref) => [ref.id, ref]));
    const flapping: FlappingProcess[] = [];
    for (const hit of hits) {
      const ref = byId.get(hit.series);
      if (ref === undefined) continue;
      flapping.push({ agent: ref.agent, group: ref.group, process: ref.process, exits: hit.exits, firstExit: hit.first_exit, lastExit: hit.last_exit });
    }
    return flapping.sort((a, b) => b.exits - a.exits || a.agent.localeCompare(b.agent) || a.process.localeCompare(b.process));
  }

  /**
   * Counters per series over [since, end): raw events for the partial hours
   * at both edges, hourly counters for the whole hours of partial days,
   * daily counters for the whole days.
   */
  #counters(series: readonly SeriesRef[], since: number, end: number, now: number): Map<number, Counters> {
    if (series.length === 0) return new Map();
    const firstHour = ceilTo(since, HOUR_MS);
    const lastHour = floorTo(end, HOUR_MS);
    if (lastHour - firstHour < HOUR_MS) return this.#raw.compute(series, since, end, now);

    const totals = new Map<number, Counters>(series.map((ref) => [ref.id, emptyCounters()]));
    const addSums = (statement: Statement, from: number, to: number): void => {
      if (from >= to) return;
      for (const row of statement.iterate(from, to) as IterableIterator<BucketSumRow>) {
        const total = totals.get(row.series);
        if (total !== undefined) addCounters(total, { starts: row.starts, unexpectedExits: row.unexpected_exits, fatals: row.fatals, runningMs: row.running_ms });
      }
    };
    const firstDay = ceilTo(firstHour, DAY_MS);
    const lastDay = floorTo(lastHour, DAY_MS);
    if (lastDay > firstDay) {
      addSums(this.#hourlySums, firstHour, firstDay);
      addSums(this.#dailySums, firstDay, lastDay);
      addSums(this.#hourlySums, lastDay, lastHour);
    } else {
      addSums(this.#hourlySums, firstHour, lastHour);
    }
    // The counters hold closed running intervals only; add the one still open.
    for (const ref of series) {
      if (ref.state !== 'RUNNING' || ref.stateSince === null) continue;
      const from = Math.max(ref.stateSince, firstHour);
      const to = Math.min(now, lastHour);
      if (to > from) totals.get(ref.id)!.runningMs += to - from;
    }
    for (const edge of [this.#raw.compute(series, since, firstHour, now), this.#raw.compute(series, lastHour, end, now)]) {
      for (const [id, counters] of edge) addCounters(totals.get(id)!, counters);
    }
    return totals;
  }

  /** The newest EXITED or FATAL event before `until` of each series that has one. */
  #lastExits(series: readonly SeriesRef[], until: number): Map<number, HubEvent> {
    const ids: number[] = [];
    const lookups: number[] = [];
    for (const ref of series) {
      if (ref.lastExitTime === null) continue;
      if (ref.lastExitTime < until) ids.push(ref.lastExit!);
      else lookups.push(ref.id);
    }
    if (lookups.length > 0) {
      for (const row of this.#lastExitIds.all(until, JSON.stringify(lookups)) as Array<{ id: number | null }>) {
        if (row.id !== null) ids.push(row.id);
      }
    }
    const bySeries = new Map<number, HubEvent>();
    if (ids.length === 0) return bySeries;
    const seriesOf = new Map(series.map((ref) => [`${ref.agent}\u0000${ref.group}\u0000${ref.process}`, ref.id]));
    for (const row of this.#eventsById.all(JSON.stringify(ids)) as EventRow[]) {
      const id = seriesOf.get(`${row.agent}\u0000${row.grp}\u0000${row.process}`);
      if (id !== undefined) bySeries.set(id, toHubEvent(row));
    }
    return bySeries;
  }

  #row(ref: SeriesRef, counters: Counters, since: number, end: number, lastExit: HubEvent | undefined): ProcessSummary {
    const summary: ProcessSummary = {
      agent: ref.agent,
      agents: [ref.agent],
      group: ref.group,
      process: ref.process,
      ...counters,
      knownMs: Math.max(0, end - Math.max(since, ref.firstTime)),
      uptimePercent: null,
      mtbfMs: null,
    };
    finishRatios(summary);
    if (lastExit !== undefined) summary.lastExit = lastExit;
    return summary;
  }
}

function finishRatios(summary: ProcessSummary): void {
  const runningMs = Math.min(summary.runningMs, summary.knownMs);
  summary.uptimePercent = summary.knownMs > 0 ? (100 * runningMs) / summary.knownMs : null;
  const failures = summary.unexpectedExits + summary.fatals;
  summary.mtbfMs = failures > 0 ? summary.runningMs / failures : null;
}

function mergeAcrossHosts(rows: readonly ProcessSummary[]): ProcessSummary[] {
  const merged = new Map<string, ProcessSummary>();
  for (const row of rows) {
    const key = `${row.group}\u0000${row.process}`;
    const into = merged.get(key);
    if (into === undefined) {
      const { agent: _agent, ...rest } = row;
      merged.set(key, { ...rest, agents: [...row.agents] });
      continue;
    }
    into.agents.push(...row.agents);
    into.starts += row.starts;
    into.unexpectedExits += row.unexpectedExits;
    into.fatals += row.fatals;
    into.runningMs += row.runningMs;
    into.knownMs += row.knownMs;
    if (row.lastExit !== undefined && (into.lastExit === undefined || row.lastExit.time > into.lastExit.time)) into.lastExit = row.lastExit;
  }
  for (const row of merged.values()) finishRatios(row);
  return [...merged.values()];
}
