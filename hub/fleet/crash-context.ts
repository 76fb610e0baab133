/**
 * When a process exits unexpectedly or goes FATAL, the hub keeps the last
 * lines of its stdout and stderr with the event, fetched with the tail RPC
 * before the batch is stored (so a crash of the hub in between only means the
 * batch, tails included, is fetched again).
 */
import { makeNamespec } from '../../node-agent/api/namespec.js';
import type { HubEvent } from '../types.js';

export const CRASH_TAIL_BYTES = 2000;

export type LogChannel = 'stdout' | 'stderr';

/** Resolves the tail of one log, or undefined when there is none (no log file, call failed). */
export type TailFetcher = (namespec: string, channel: LogChannel) => Promise<string | undefined>;

export function needsCrashContext(event: HubEvent): event is HubEvent & { group: string; process: string } {
  if (event.group === undefined || event.process === undefined) return false;
  if (event.type === 'PROCESS_STATE_FATAL') return true;
  if (event.type !== 'PROCESS_STATE_EXITED') return false;
  // An observed exit (plain supervisord) does not say whether it was expected: a non-zero status counts.
  return event.expected === false || (event.expected === undefined && event.exitStatus !== 0);
}

/**
 * Fetches both tails for the last crash of each process in the batch and
 * attaches them to that event. Earlier crashes of the same process in the
 * same batch get nothing: the logs read now would not be theirs.
 */
export async function attachCrashContext(events: HubEvent[], fetchTail: TailFetcher): Promise<void> {
  const lastCrash = new Map<string, HubEvent>();
  for (const event of events) if (needsCrashContext(event)) lastCrash.set(makeNamespec(event.group, event.process), event);
  await Promise.all(
    [...lastCrash].map(async ([namespec, event]) => {
      const [stdout, stderr] = await Promise.all([fetchTail(namespec, 'stdout'), fetchTail(namespec, 'stderr')]);
      if (stdout) event.crashStdout = stdout;
      if (stderr) event.crashStderr = stderr;
    }),
  );
}

/** The tail RPC's answer → whole lines only (a cut first line is dropped when the log was longer). */
export function tailText(data: string, overflow: boolean): string {
  if (!overflow) return data;
  const newline = data.indexOf('\n');
  return newline >= 0 && newline < data.length - 1 ? data.slice(newline + 1) : data;
}
