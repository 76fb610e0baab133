/**
 * Makes supervisorctl / supervisord output comparable across runs and across
 * daemons by replacing what legitimately varies: pids, uptimes, dates, the
 * temp dir, AUTO log-name suffixes, log timestamps and argv0.
 */

export interface NormalizeOptions {
  /** The daemon's temp dir, replaced by `{dir}`. */
  dir?: string;
  /** Lines that are a bare positive integer (output of `pid`) become `PID`. */
  barePids?: boolean;
  /** Sort lines (for outputs whose order depends on completion timing). */
  sortLines?: boolean;
}

const RULES: ReadonlyArray<[RegExp, string]> = [
  // main log timestamps: 2026-11-24 02:56:04,074
  [/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}\b/g, 'TIME'],
  // status description of a running process
  [/\bpid \d+, uptime (?:\d+ days?, )?\d+:\d{2}:\d{2}/g, 'pid PID, uptime UPTIME'],
  [/\bpid \d+\b/g, 'pid PID'],
  [/\bkilling '([^']+)' \(\d+\)/g, "killing '$1' (PID)"],
  // stop time of a STOPPED/EXITED process: Nov 24 12:55 AM
  [/\b[A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M\b/g, 'DATE'],
  // AUTO child log names: sleeper-stdout---supervisor-ab3_x9yz.log
  [/(-(?:stdout|stderr)---[^\s/]+?-)[A-Za-z0-9_]{8}(\.log)/g, '$1AUTO$2'],
  // usage hint names the program as invoked
  [/^For help, use \S+ -h$/gm, 'For help, use ARGV0 -h'],
];

export function normalize(text: string, opts: NormalizeOptions = {}): string {
  let out = text;
  if (opts.dir) out = out.replaceAll(opts.dir, '{dir}');
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  if (opts.barePids) out = out.replace(/^[1-9]\d*$/gm, 'PID');
  if (opts.sortLines) {
    const trailingNewline = out.endsWith('\n');
    const lines = (trailingNewline ? out.slice(0, -1) : out).split('\n').sort();
    out = lines.join('\n') + (trailingNewline ? '\n' : '');
  }
  return out;
}

/** The lines of a main log with timestamps dropped, e.g. `INFO spawned: 'quick' with pid PID`. */
export function mainLogLines(log: string, dir?: string): string[] {
  return normalize(log, { dir })
    .split('\n')
    .filter((line) => line.startsWith('TIME '))
    .map((line) => line.slice('TIME '.length));
}
