/**
 * Turns host, tag, group and process selectors (shell-style globs: * ? [..])
 * into the set of series (agent, group, process) they match. The series
 * table is small (one row per process ever seen), so matching happens there
 * and the events table is then read by series id through its index.
 */
import type { Db } from './db.js';

export interface SeriesSelector {
  /** Agent name globs. */
  hosts?: readonly string[];
  /** Agents carrying any of these tags (from the agents table). */
  tags?: readonly string[];
  /** Group name globs. */
  groups?: readonly string[];
  /** Process name globs. */
  processes?: readonly string[];
}

export interface SeriesRef {
  id: number;
  agent: string;
  group: string;
  process: string;
  firstTime: number;
  state: string | null;
  stateSince: number | null;
  lastExit: number | null;
  lastExitTime: number | null;
}

interface SeriesRow {
  id: number;
  agent: string;
  grp: string;
  process: string;
  first_time: number;
  state: string | null;
  state_since: number | null;
  last_exit: number | null;
  last_exit_time: number | null;
}

export function hasSeriesFilter(selector: SeriesSelector): boolean {
  return [selector.hosts, selector.tags, selector.groups, selector.processes].some((list) => list !== undefined && list.length > 0);
}

/**
 * The series matched by every non-empty selector list (a list matches when
 * any of its globs does). `processesOnly` leaves out agent-level series.
 */
export function selectSeries(db: Db, selector: SeriesSelector, processesOnly = false): SeriesRef[] {
  const where: string[] = [];
  const params: string[] = [];
  const anyGlob = (column: string, globs: readonly string[] | undefined): void => {
    if (globs === undefined || globs.length === 0) return;
    where.push(`(${globs.map(() => `${column} GLOB ?`).join(' OR ')})`);
    params.push(...globs);
  };
  anyGlob('agent', selector.hosts);
  anyGlob('grp', selector.groups);
  anyGlob('process', selector.processes);
  if (selector.tags !== undefined && selector.tags.length > 0) {
    where.push(`agent IN (SELECT a.name FROM agents a, json_each(a.tags) t WHERE t.value IN (${selector.tags.map(() => '?').join(', ')}))`);
    params.push(...selector.tags);
  }
  if (processesOnly) where.push("process <> ''");
  const sql = `SELECT id, agent, grp, process, first_time, state, state_since, last_exit, last_exit_time FROM series
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY agent, grp, process`;
  return (db.prepare(sql).all(...params) as SeriesRow[]).map((row) => ({
    id: row.id,
    agent: row.agent,
    group: row.grp,
    process: row.process,
    firstTime: row.first_time,
    state: row.state,
    stateSince: row.state_since,
    lastExit: row.last_exit,
    lastExitTime: row.last_exit_time,
  }));
}
