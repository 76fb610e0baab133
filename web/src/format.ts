/** Small text helpers shared by the views. */

export function stateClass(state: string): string {
  return `state state-${state.toLowerCase()}`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Local HH:MM:SS, with the date when not today. Built by hand: toLocaleTimeString costs ~ms a call, and tables call it per row. */
export function timeText(ms: number | undefined): string {
  if (ms === undefined || ms === 0) return '—';
  const date = new Date(ms);
  const now = new Date();
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  if (date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate()) return time;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
}

export function ageText(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined || ms === 0) return '—';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d ${Math.floor((seconds % 86400) / 3600)}h`;
}

export function bytesText(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function plural(count: number, word: string): string {
  if (count === 1) return `${count} ${word}`;
  return `${count} ${/(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`}`;
}

/** supervisord's description says "uptime 0:00:02" as of the last poll; a start time never goes stale. */
export function describeProcess(process: { state: string; pid: number; start?: number; description?: string; spawnerr?: string }): string {
  if (process.spawnerr) return process.spawnerr;
  if (process.state === 'RUNNING' && process.pid > 0 && process.start !== undefined && process.start > 0) {
    const startMs = process.start < 1e12 ? process.start * 1000 : process.start;
    return `pid ${process.pid}, started ${timeText(startMs)}`;
  }
  return process.description ?? '';
}

/** "11 RUNNING, 1 FATAL", most common first. */
export function stateCountsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
}
