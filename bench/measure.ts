/** Small measuring tools shared by the scenarios. */
import type { ProcessInfo, ProcessStatus } from '../node-agent/api/types.js';
import type { Daemon } from './daemons.js';
import type { RawCaller } from './raw-caller.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with Python's time.time()). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Polls getAllProcessInfo until `count` processes are RUNNING; resolves with
 * performance.now() of the answer that showed it. Connection errors (socket
 * not there yet) are retried. The gap between polls keeps the poller from
 * eating the CPU of the daemon it watches.
 */
export async function waitAllRunning(daemon: Daemon, count: number, timeoutMs: number, gapMs = 25): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (daemon.exited !== undefined) throw new Error(daemon.exited);
    try {
      const infos = await daemon.call<ProcessInfo[]>('supervisor.getAllProcessInfo', [], 30_000);
      const seenAt = performance.now();
      const running = infos.filter((info) => info.statename === 'RUNNING').length;
      if (running >= count) return seenAt;
      last = `${running}/${count} RUNNING`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (performance.now() > deadline) throw new Error(`not all ${count} processes RUNNING after ${timeoutMs} ms (${last})`);
    await sleep(gapMs);
  }
}

/** Throws unless every result of a start/stop-all call is SUCCESS (80). */
export function expectAllSucceeded(method: string, results: ProcessStatus[], count: number): void {
  const failed = results.filter((result) => result.status !== 80);
  if (results.length !== count || failed.length > 0) {
    const first = failed[0];
    const detail = first ? `; first failure ${first.group}:${first.name} ${first.status} ${first.description}` : '';
    throw new Error(`${method} answered ${results.length} results, ${failed.length} not SUCCESS (expected ${count})${detail}`);
  }
}

/**
 * Has every caller call back to back, concurrently, for `durationMs`;
 * returns answered calls per second over all callers.
 */
export async function callRate(callers: readonly RawCaller[], durationMs: number): Promise<number> {
  await Promise.all(callers.map((caller) => caller.call())); // opens the connections
  const started = performance.now();
  const stopAt = started + durationMs;
  let calls = 0;
  await Promise.all(
    callers.map(async (caller) => {
      while (performance.now() < stopAt) {
        await caller.call();
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}
