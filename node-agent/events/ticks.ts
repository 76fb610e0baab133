import type { EventType } from './types.js';

export const TICK_PERIODS: ReadonlyArray<{ type: EventType; seconds: number }> = [
  { type: 'TICK_5', seconds: 5 },
  { type: 'TICK_60', seconds: 60 },
  { type: 'TICK_3600', seconds: 3600 },
];

export interface TickClock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: TickClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * TICK_5/60/3600 each time the wall clock crosses a multiple of the period
 * (compat spec §4.1), `when` = the epoch floored to the period. Every 60 s
 * and 3600 s boundary is also a 5 s one, so a single timer aimed at the next
 * 5 s boundary (re-aimed from the wall clock after each firing, so it does
 * not drift) serves all three, and they come out in supervisord's order.
 * Like supervisord, the first tick is the first boundary after start.
 * Returns a function that stops the ticks.
 */
export function startTicks(onTick: (type: EventType, when: number) => void, clock: TickClock = realClock): () => void {
  const step = TICK_PERIODS[0].seconds;
  const last = new Map(TICK_PERIODS.map(({ seconds }) => [seconds, slice(clock.now(), seconds)]));
  let handle: unknown;
  let stopped = false;

  const arm = () => {
    const nowMs = clock.now();
    const nextBoundaryMs = (slice(nowMs, step) + step) * 1000;
    handle = clock.setTimeout(fire, Math.max(1, nextBoundaryMs - nowMs));
  };
  const fire = () => {
    if (stopped) return;
    const nowMs = clock.now();
    for (const { type, seconds } of TICK_PERIODS) {
      const current = slice(nowMs, seconds);
      // A timer may fire a millisecond early: then nothing crossed yet and we simply re-arm.
      if (current !== last.get(seconds)) {
        last.set(seconds, current);
        onTick(type, current);
      }
    }
    if (!stopped) arm();
  };
  arm();

  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}

/** Epoch seconds floored to a multiple of `seconds`. */
function slice(nowMs: number, seconds: number): number {
  const epoch = Math.floor(nowMs / 1000);
  return epoch - (epoch % seconds);
}
