import type { ProcessStateName } from '../api/states.js';

/** What the `description` of a process depends on (compat spec §2.5). */
export interface DescriptionInput {
  name: string;
  state: ProcessStateName;
  pid: number;
  /** Epoch seconds, whole, 0 = never. */
  start: number;
  stop: number;
  now: number;
  spawnerr: string;
}

/** The `description` field of getProcessInfo, as supervisord words it. */
export function describeProcess(info: DescriptionInput): string {
  switch (info.state) {
    case 'RUNNING':
      return `pid ${info.pid}, uptime ${formatUptime(info.now - info.start)}`;
    case 'BACKOFF':
    case 'FATAL':
      return info.spawnerr || `unknown error (try "tail ${info.name}")`;
    case 'STOPPED':
    case 'EXITED':
      return info.start ? formatStopTime(info.stop) : 'Not started';
    default:
      return '';
  }
}

/** Python's str(timedelta) of whole seconds: `0:00:09`, `1 day, 1:02:03`, `3 days, 0:00:05`. */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.trunc(seconds));
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  const clock = `${Math.floor(rest / 3600)}:${pad2(Math.floor(rest / 60) % 60)}:${pad2(rest % 60)}`;
  if (days === 0) return clock;
  return `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time, C locale: `Nov 24 12:55 AM`. */
export function formatStopTime(epochSeconds: number): string {
  const at = new Date(epochSeconds * 1000);
  const hour12 = at.getHours() % 12 === 0 ? 12 : at.getHours() % 12;
  const meridiem = at.getHours() < 12 ? 'AM' : 'PM';
  return `${MONTHS[at.getMonth()]} ${pad2(at.getDate())} ${pad2(hour12)}:${pad2(at.getMinutes())} ${meridiem}`;
}

/** supervisord's `capped_int`: timestamps truncated and clamped to a 32-bit XML-RPC int. */
export function cappedInt(value: number): number {
  return Math.min(Math.trunc(value), 2 ** 31 - 1);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
