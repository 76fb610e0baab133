/**
 * Text output helpers: aligned tables, state colours (only on a terminal),
 * times and durations as people read them.
 */

const RESET = '\x1b[0m';
const COLOURS = { green: '\x1b[32m', yellow: '\x1b[33m', red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', cyan: '\x1b[36m' } as const;
export type Colour = keyof typeof COLOURS;

export function paint(text: string, colour: Colour | undefined, enabled: boolean): string {
  return enabled && colour !== undefined ? `${COLOURS[colour]}${text}${RESET}` : text;
}

const STATE_COLOURS: Record<string, Colour> = {
  RUNNING: 'green',
  STARTING: 'yellow',
  BACKOFF: 'yellow',
  STOPPING: 'yellow',
  STOPPED: 'dim',
  EXITED: 'red',
  FATAL: 'red',
  UNKNOWN: 'red',
  online: 'green',
  offline: 'red',
  auth_failed: 'red',
  incompatible: 'red',
  unknown: 'yellow',
  ok: 'green',
  failed: 'red',
  skipped: 'yellow',
  succeeded: 'green',
  cancelled: 'yellow',
};

export function stateColour(state: string): Colour | undefined {
  return STATE_COLOURS[state];
}

/** Length as seen on a terminal (colour codes take no room). */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * Rows padded into columns separated by two spaces; the last column is not
 * padded. `header` is printed first when given.
 */
export function table(rows: readonly (readonly string[])[], header?: readonly string[]): string[] {
  const all = header !== undefined ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local time `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** 45s, 3m12s, 2h05m, 3d04h. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad2(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad2(Math.floor((s % 86_400) / 3600))}h`;
}

export function formatAgo(ms: number | undefined, now: number = Date.now()): string {
  if (ms === undefined) return '-';
  return `${formatDuration((now - ms) / 1000)} ago`;
}

/** Milliseconds as `850ms` or `2.3s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** fnmatch-style glob (`*`, `?`, `[...]`) as a whole-string RegExp. */
export function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
