import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTicks, type TickClock } from '../../node-agent/events/ticks.js';

/** A clock whose timers fire only when the test advances time. */
function fakeClock(startMs: number) {
  let now = startMs;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: TickClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++nextId, { at: now + ms, fn });
      return nextId;
    },
    clearTimeout: (id) => timers.delete(id as number),
  };
  const advanceTo = (target: number) => {
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = target;
  };
  return { clock, advanceTo, timers };
}

test('ticks fire at wall-clock multiples of their period, when = epoch floored', () => {
  const start = 3_599_993_400; // epoch ms: 3599993.4 s, 6.6 s before an hour boundary
  const { clock, advanceTo, timers } = fakeClock(start);
  const ticks: Array<[string, number, number]> = [];
  const stop = startTicks((type, when) => ticks.push([type, when, clock.now()]), clock);
  assert.deepEqual([...timers.values()].map((t) => t.at - start), [1600], 'one timer, aimed at the next 5 s boundary');

  advanceTo(start + 12_000);
  assert.deepEqual(ticks, [
    ['TICK_5', 3_599_995, 3_599_995_000],
    ['TICK_5', 3_600_000, 3_600_000_000],
    ['TICK_60', 3_600_000, 3_600_000_000],
    ['TICK_3600', 3_600_000, 3_600_000_000],
    ['TICK_5', 3_600_005, 3_600_005_000],
  ]);
  stop();
  assert.equal(timers.size, 0);
});

test('a timer that fires early re-arms without ticking twice', () => {
  const { clock, timers } = fakeClock(10_000);
  const ticks: number[] = [];
  startTicks((type, when) => type === 'TICK_5' && ticks.push(when), clock);
  const [id, timer] = [...timers.entries()][0];
  assert.equal(timer.at, 15_000);
  timers.delete(id);
  timer.fn(); // fired at 10 000 ms, before the boundary
  assert.deepEqual(ticks, []);
  assert.ok([...timers.values()].some((t) => t.at === 15_000), 're-armed for the same boundary');
});

test('real timers: startTicks returns a stopper and keeps no process alive', () => {
  const stop = startTicks(() => {});
  stop();
});
