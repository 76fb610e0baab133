/**
 * The events table as SQL text and rows, and the mapping from a joined row
 * to the shared HubEvent shape. Queries and summaries select through here.
 */
import type { HubEvent } from '../types.js';

export interface EventRow {
  id: number;
  agent: string;
  grp: string;
  process: string;
  boot: string;
  serial: number | null;
  time: number;
  type: string;
  from_state: string | null;
  to_state: string | null;
  pid: number | null;
  expected: number | null;
  exit_status: number | null;
  spawn_err: string | null;
  observed: number;
  payload: string | null;
  crash_stdout: string | null;
  crash_stderr: string | null;
}

export const EVENT_COLUMNS = `e.id, s.agent, s.grp, s.process, b.boot, e.serial, e.time, e.type, e.from_state, e.to_state,
  e.pid, e.expected, e.exit_status, e.spawn_err, e.observed, e.payload, e.crash_stdout, e.crash_stderr`;

/** CROSS JOIN keeps `events` the outer loop, so the planner drives from the events indexes. */
export const EVENT_FROM = `events e CROSS JOIN series s ON s.id = e.series CROSS JOIN boots b ON b.id = e.boot`;

export function toHubEvent(row: EventRow): HubEvent {
  const event: HubEvent = {
    id: row.id,
    agent: row.agent,
    boot: row.boot,
    serial: row.serial,
    time: row.time,
    type: row.type,
    observed: row.observed === 1,
  };
  if (row.grp !== '') event.group = row.grp;
  if (row.process !== '') event.process = row.process;
  if (row.from_state !== null) event.fromState = row.from_state;
  if (row.to_state !== null) event.toState = row.to_state;
  if (row.pid !== null) event.pid = row.pid;
  if (row.expected !== null) event.expected = row.expected === 1;
  if (row.exit_status !== null) event.exitStatus = row.exit_status;
  if (row.spawn_err !== null) event.spawnErr = row.spawn_err;
  if (row.payload !== null) event.payload = row.payload;
  if (row.crash_stdout !== null) event.crashStdout = row.crash_stdout;
  if (row.crash_stderr !== null) event.crashStderr = row.crash_stderr;
  return event;
}
