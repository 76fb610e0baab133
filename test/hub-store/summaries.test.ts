import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HubStore, ProcessSummary } from '../../hub/store/index.js';
import type { HubEvent } from '../../hub/types.js';
import { HOUR, MIN, stateEvent, T0, tempStore } from './helpers.js';

const NOW = T0 + 10 * HOUR;

/**
 * web1:api — RUNNING before the window, exits unexpectedly at 2h, runs 3h–5h,
 * exits, goes FATAL at 6h, runs again from 8h and is still RUNNING at 10h (now).
 * web2:api — RUNNING from T0 on.
 */
function seed(store: HubStore): void {
  const web1: HubEvent[] = [
    stateEvent('web1', 'api', 'RUNNING', T0 - HOUR, 1),
    stateEvent('web1', 'api', 'EXITED', T0 + 2 * HOUR, 2, { expected: false, exitStatus: 1 }),
    stateEvent('web1', 'api', 'STARTING', T0 + 2 * HOUR + 1000, 3),
    stateEvent('web1', 'api', 'RUNNING', T0 + 3 * HOUR, 4),
    stateEvent('web1', 'api', 'EXITED', T0 + 5 * HOUR, 5, { expected: false, exitStatus: 2 }),
    stateEvent('web1', 'api', 'STARTING', T0 + 5.5 * HOUR, 6),
    stateEvent('web1', 'api', 'BACKOFF', T0 + 5.5 * HOUR + 1000, 7),
    stateEvent('web1', 'api', 'FATAL', T0 + 6 * HOUR, 8, { crashStderr: 'ImportError: no module named x\n' }),
    stateEvent('web1', 'api', 'STARTING', T0 + 8 * HOUR - 1000, 9),
    stateEvent('web1', 'api', 'RUNNING', T0 + 8 * HOUR, 10),
  ];
  // Two batches, split mid-interval, to exercise the state carried between batches.
  store.events.ingest('web1', web1.slice(0, 4));
  store.events.ingest('web1', web1.slice(4));
  store.events.ingest('web2', [stateEvent('web2', 'api', 'RUNNING', T0, 1)]);
}

function one(rows: ProcessSummary[], agent: string): ProcessSummary {
  const row = rows.find((r) => r.agent === agent);
  assert.ok(row, `no row for ${agent}`);
  return row;
}

test('an hour-aligned window: starts, exits, fatals, uptime, MTBF and the last exit with its crash context', () => {
  const t = tempStore();
  try {
    seed(t.store);
    const rows = t.store.summaries.summarize({ since: T0, until: T0 + 10 * HOUR }, NOW);
    const web1 = one(rows, 'web1');
    assert.equal(web1.group, 'api');
    assert.equal(web1.process, 'api');
    assert.equal(web1.starts, 2);
    assert.equal(web1.unexpectedExits, 2);
    assert.equal(web1.fatals, 1);
    assert.equal(web1.runningMs, 6 * HOUR);
    assert.equal(web1.knownMs, 10 * HOUR);
    assert.equal(web1.uptimePercent, 60);
    assert.equal(web1.mtbfMs, 2 * HOUR);
    assert.equal(web1.lastExit?.toState, 'FATAL');
    assert.equal(web1.lastExit?.crashStderr, 'ImportError: no module named x\n');
    const web2 = one(rows, 'web2');
    assert.equal(web2.uptimePercent, 100);
    assert.equal(web2.mtbfMs, null);
    assert.equal(web2.lastExit, undefined);
  } finally {
    t.cleanup();
  }
});

test('a window with partial hours at both edges adds the exact edge times to the hourly counters', () => {
  const t = tempStore();
  try {
    seed(t.store);
    const web1 = one(t.store.summaries.summarize({ hosts: ['web1'], since: T0 + 30 * MIN, until: T0 + 9.5 * HOUR }, NOW), 'web1');
    assert.equal(web1.runningMs, 5 * HOUR); // 0:30–2:00, 3:00–5:00, 8:00–9:30
    assert.equal(web1.knownMs, 9 * HOUR);
    assert.equal(web1.starts, 2);
    assert.equal(web1.unexpectedExits, 2);
    assert.equal(web1.fatals, 1);
    assert.equal(web1.mtbfMs, (5 * HOUR) / 3);
    assert.ok(Math.abs(web1.uptimePercent! - 55.5556) < 0.001);
  } finally {
    t.cleanup();
  }
});

test('a short window inside one hour and a window over the still-open RUNNING interval', () => {
  const t = tempStore();
  try {
    seed(t.store);
    const short = one(t.store.summaries.summarize({ hosts: ['web1'], since: T0 + 4.5 * HOUR, until: T0 + 5.25 * HOUR }, NOW), 'web1');
    assert.equal(short.runningMs, 30 * MIN);
    assert.equal(short.knownMs, 45 * MIN);
    assert.equal(short.unexpectedExits, 1);
    assert.equal(short.starts, 0);
    assert.equal(short.lastExit?.toState, 'EXITED');
    assert.equal(short.lastExit?.exitStatus, 2);

    const open = one(t.store.summaries.summarize({ hosts: ['web1'], since: '3h' }, NOW), 'web1');
    assert.equal(open.runningMs, 2 * HOUR);
    assert.equal(open.starts, 1);
    // Before the process was first seen, time is not held against it.
    const early = one(t.store.summaries.summarize({ hosts: ['web2'], since: T0 - 5 * HOUR, until: T0 + HOUR }, NOW), 'web2');
    assert.equal(early.knownMs, HOUR);
    assert.equal(early.uptimePercent, 100);
  } finally {
    t.cleanup();
  }
});

test('across hosts one row per group:process sums the hosts', () => {
  const t = tempStore();
  try {
    seed(t.store);
    const rows = t.store.summaries.summarize({ since: T0, until: T0 + 10 * HOUR, acrossHosts: true }, NOW);
    assert.equal(rows.length, 1);
    const [api] = rows;
    assert.equal(api.agent, undefined);
    assert.deepEqual(api.agents.sort(), ['web1', 'web2']);
    assert.equal(api.runningMs, 16 * HOUR);
    assert.equal(api.knownMs, 20 * HOUR);
    assert.equal(api.uptimePercent, 80);
    assert.equal(api.mtbfMs, (16 * HOUR) / 3);
    assert.equal(api.lastExit?.agent, 'web1');
  } finally {
    t.cleanup();
  }
});

/** Reference numbers straight from the event list, for comparison with the store's. */
function bruteForce(events: HubEvent[], since: number, until: number, now: number): { starts: number; exits: number; fatals: number; running: number } {
  const sorted = [...events].sort((a, b) => a.time - b.time || a.serial! - b.serial!);
  let state: string | undefined;
  let stateTime = 0;
  const out = { starts: 0, exits: 0, fatals: 0, running: 0 };
  const end = Math.min(until, now);
  for (const e of sorted) {
    if (e.time >= until) break;
    if (state === 'RUNNING') out.running += Math.max(0, Math.min(e.time, end) - Math.max(stateTime, since));
    if (e.time >= since) {
      if (e.toState === 'RUNNING') out.starts++;
      if (e.toState === 'EXITED' && e.expected === false) out.exits++;
      if (e.toState === 'FATAL') out.fatals++;
    }
    state = e.toState;
    stateTime = e.time;
  }
  if (state === 'RUNNING') out.running += Math.max(0, end - Math.max(stateTime, since));
  return out;
}

test('hourly counters plus raw edges agree with a brute-force count over random windows', () => {
  const t = tempStore();
  try {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const states = ['STARTING', 'RUNNING', 'RUNNING', 'EXITED', 'EXITED', 'FATAL', 'STOPPED', 'BACKOFF'];
    const events: HubEvent[] = [];
    let time = T0;
    for (let serial = 1; serial <= 400; serial++) {
      time += Math.floor(random() * 40 * MIN);
      const toState = states[Math.floor(random() * states.length)];
      events.push(stateEvent('r1', 'job', toState, time, serial, toState === 'EXITED' ? { expected: random() < 0.3 } : {}));
    }
    // End RUNNING so the still-open interval counts too.
    events.push(stateEvent('r1', 'job', 'RUNNING', (time += 10 * MIN), 401));
    for (let i = 0; i < events.length; i += 37) t.store.events.ingest('r1', events.slice(i, i + 37));
    const now = time + 3 * HOUR;
    for (let i = 0; i < 60; i++) {
      const since = T0 + Math.floor(random() * (now - T0));
      const until = since + Math.floor(random() * (now - since + 2 * HOUR));
      const [row] = t.store.summaries.summarize({ since, until }, now);
      const expected = bruteForce(events, since, until, now);
      assert.deepEqual(
        { starts: row.starts, exits: row.unexpectedExits, fatals: row.fatals, running: row.runningMs },
        expected,
        `window ${since - T0}..${until - T0}`,
      );
    }
  } finally {
    t.cleanup();
  }
});

test('flapping: at least N unexpected exits within the last M minutes', () => {
  const t = tempStore();
  try {
    const exits = (agent: string, process: string, count: number, spacing: number): HubEvent[] =>
      Array.from({ length: count }, (_, i) => stateEvent(agent, process, 'EXITED', NOW - 1000 - i * spacing, i + 1, { expected: false }));
    t.store.events.ingest('a1', exits('a1', 'crashy', 6, MIN));
    t.store.events.ingest('a2', exits('a2', 'wobbly', 4, MIN));
    t.store.events.ingest('a3', exits('a3', 'slow', 6, 5 * MIN)); // spread over 25 minutes
    t.store.events.ingest('a4', [
      ...Array.from({ length: 6 }, (_, i) => stateEvent('a4', 'planned', 'EXITED', NOW - i * MIN, i + 1, { expected: true })),
    ]);
    const flapping = t.store.summaries.flapping({ minExits: 5, windowMinutes: 10 }, NOW);
    assert.deepEqual(flapping.map((f) => [f.agent, f.process, f.exits]), [['a1', 'crashy', 6]]);
    assert.equal(flapping[0].lastExit, NOW - 1000);
    assert.equal(flapping[0].firstExit, NOW - 1000 - 5 * MIN);
    const looser = t.store.summaries.flapping({ minExits: 2, windowMinutes: 10 }, NOW);
    assert.deepEqual(looser.map((f) => f.process), ['crashy', 'wobbly', 'slow']);
    assert.deepEqual(t.store.summaries.flapping({ minExits: 2, windowMinutes: 10, hosts: ['a2'] }, NOW).map((f) => f.process), ['wobbly']);
    assert.deepEqual(t.store.summaries.flapping({}, NOW).map((f) => f.process), ['crashy'], 'defaults: 5 exits in 10 minutes');
  } finally {
    t.cleanup();
  }
});
