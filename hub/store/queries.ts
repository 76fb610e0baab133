/**
 * History queries: events filtered by hosts, tags, groups, processes (globs),
 * event types, states and a time range, one page at a time with a keyset
 * cursor (time, id) so pages never skip or repeat an event while new ones
 * arrive.
 */
import type { Statement } from 'better-sqlite3';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import type { HubEvent } from '../types.js';
import type { Db } from './db.js';
import { EVENT_COLUMNS, EVENT_FROM, toHubEvent, type EventRow } from './event-rows.js';
import { hasSeriesFilter, selectSeries, type SeriesSelector } from './selectors.js';
import { parseTimeSpec, type TimeSpec } from './time-spec.js';

export interface EventFilter extends SeriesSelector {
  /** Exact event types, or prefixes: 'PROCESS_STATE' matches PROCESS_STATE_RUNNING and the others. */
  types?: readonly string[];
  /** The state a process moved to (to_state), e.g. FATAL. */
  states?: readonly string[];
  /** Inclusive lower bound: epoch ms, ISO date, or a span back from now ('2h', '7d'). */
  since?: TimeSpec;
  /** Exclusive upper bound, same forms as `since`. */
  until?: TimeSpec;
  /** Page size, 1..10000 (default 100). */
  limit?: number;
  /** 'desc' = newest first (default). */
  order?: 'desc' | 'asc';
  /** The `next` of the previous page. */
  after?: string;
}

export interface EventPage {
  events: HubEvent[];
  /** Present when more events match: pass it as `after` with the same filter. */
  next?: string;
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 10_000;
/** Up to this many matched series, each is read through its own index range and the pages merged. */
const MERGE_MAX_SERIES = 64;

interface Keyset {
  time: number;
  id: number;
}

export class EventQueries {
  readonly #db: Db;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Db) {
    this.#db = db;
  }

  query(filter: EventFilter = {}, now: number = Date.now()): EventPage {
    const order = filter.order ?? 'desc';
    if (order !== 'desc' && order !== 'asc') throw badInput(`order must be desc or asc, not ${JSON.stringify(order)}`);
    const limit = pageSize(filter.limit);
    const clauses: string[] = [];
    const params: Array<string | number> = [];
    if (filter.since !== undefined) {
      clauses.push('e.time >= ?');
      params.push(parseTimeSpec(filter.since, now));
    }
    if (filter.until !== undefined) {
      clauses.push('e.time < ?');
      params.push(parseTimeSpec(filter.until, now));
    }
    if (filter.types !== undefined && filter.types.length > 0) {
      clauses.push(`(${filter.types.map(() => '(e.type = ? OR (e.type > ? AND e.type < ?))').join(' OR ')})`);
      for (const type of filter.types) params.push(type, `${type}_`, `${type}\``);
    }
    if (filter.states !== undefined && filter.states.length > 0) {
      clauses.push(`e.to_state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states.map((state) => state.toUpperCase()));
    }
    if (filter.after !== undefined) {
      const key = decodeCursor(filter.after);
      const cmp = order === 'desc' ? '<' : '>';
      clauses.push(`e.time ${cmp}= ? AND (e.time ${cmp} ? OR e.id ${cmp} ?)`);
      params.push(key.time, key.time, key.id);
    }

    let rows: EventRow[];
    if (!hasSeriesFilter(filter)) {
      rows = this.#run(clauses, params, order, limit + 1);
    } else {
      const series = selectSeries(this.#db, filter);
      if (series.length === 0) return { events: [] };
      if (series.length <= MERGE_MAX_SERIES) {
        rows = [];
        for (const { id } of series) rows.push(...this.#run(['e.series = ?', ...clauses], [id, ...params], order, limit + 1));
        rows.sort(order === 'desc' ? (a, b) => b.time - a.time || b.id - a.id : (a, b) => a.time - b.time || a.id - b.id);
        rows.length = Math.min(rows.length, limit + 1);
      } else {
        // Many series: walk the time index and filter, rather than sort every matched series' window.
        const ids = JSON.stringify(series.map((s) => s.id));
        rows = this.#run(['+e.series IN (SELECT value FROM json_each(?))', ...clauses], [ids, ...params], order, limit + 1);
      }
    }

    const more = rows.length > limit;
    const events = rows.slice(0, limit).map(toHubEvent);
    const last = events.at(-1);
    return more && last !== undefined ? { events, next: encodeCursor({ time: last.time, id: last.id! }) } : { events };
  }

  #run(clauses: string[], params: Array<string | number>, order: 'desc' | 'asc', limit: number): EventRow[] {
    const direction = order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
      ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''}
      ORDER BY e.time ${direction}, e.id ${direction} LIMIT ?`;
    return this.#statement(sql).all(...params, limit) as EventRow[];
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      if (this.#statements.size >= 256) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw badInput(`limit must be an integer from 1 to ${MAX_PAGE}, not ${limit}`);
  return limit;
}

export function encodeCursor(key: Keyset): string {
  return Buffer.from(`v1:${key.time}:${key.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const match = /^v1:(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput(`unreadable page cursor ${JSON.stringify(cursor)}`);
  return { time: Number(match[1]), id: Number(match[2]) };
}

function badInput(message: string): FleetvisorError {
  return new FleetvisorError('FV_STORE_BAD_INPUT', message);
}
