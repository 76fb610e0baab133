import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimeSpec, type EventFilter, type HubStore } from '../../hub/store/index.js';
import type { HubEvent } from '../../hub/types.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { HOUR, MIN, stateEvent, T0, tempStore } from './helpers.js';

const NOW = T0 + 10 * HOUR;

/** web1, web2, db1: processes api (group web), worker (group jobs), and an agent-level health event each. */
function seed(store: HubStore): void {
  store.agents.syncConfigAgents([
    { name: 'web1', url: 'http://web1:9001', tags: ['prod', 'web'], source: 'config' },
    { name: 'web2', url: 'http://web2:9001', tags: ['staging', 'web'], source: 'config' },
    { name: 'db1', url: 'http://db1:9001', tags: ['prod'], source: 'config' },
  ]);
  for (const agent of ['web1', 'web2', 'db1']) {
    let serial = 0;
    const events: HubEvent[] = [];
    for (let hour = 0; hour < 10; hour++) {
      const base = T0 + hour * HOUR;
      events.push(stateEvent(agent, 'api', 'STARTING', base, ++serial, { group: 'web' }));
      events.push(stateEvent(agent, 'api', 'RUNNING', base + MIN, ++serial, { group: 'web' }));
      events.push(stateEvent(agent, 'worker', hour % 2 === 0 ? 'RUNNING' : 'EXITED', base + 2 * MIN, ++serial, { group: 'jobs', expected: hour % 2 === 0 ? undefined : false }));
    }
    events.push({ agent, boot: 'hub', serial: null, time: T0 + 5 * HOUR, type: 'HUB_AGENT_HEALTH', observed: false, payload: '{"state":"offline"}' });
    store.events.ingest(agent, events, `boot-1:${serial}`);
  }
}

function all(store: HubStore, filter: EventFilter): HubEvent[] {
  return store.history.query({ limit: 10_000, ...filter }, NOW).events;
}

test('each filter alone and combined', () => {
  const t = tempStore();
  try {
    seed(t.store);
    assert.equal(all(t.store, {}).length, 93);
    assert.deepEqual(new Set(all(t.store, { hosts: ['web*'] }).map((e) => e.agent)), new Set(['web1', 'web2']));
    assert.deepEqual(new Set(all(t.store, { hosts: ['db?'] }).map((e) => e.agent)), new Set(['db1']));
    assert.deepEqual(new Set(all(t.store, { hosts: ['web[2-9]', 'db1'] }).map((e) => e.agent)), new Set(['web2', 'db1']));
    assert.deepEqual(new Set(all(t.store, { tags: ['prod'] }).map((e) => e.agent)), new Set(['web1', 'db1']));
    assert.equal(all(t.store, { tags: ['nope'] }).length, 0);
    assert.deepEqual(new Set(all(t.store, { groups: ['jobs'] }).map((e) => e.process)), new Set(['worker']));
    assert.equal(all(t.store, { processes: ['a*'] }).length, 60);
    assert.equal(all(t.store, { processes: ['API'] }).length, 0, 'globs are case-sensitive like supervisord names');
    assert.equal(all(t.store, { types: ['PROCESS_STATE'] }).length, 90);
    assert.equal(all(t.store, { types: ['PROCESS_STATE_RUNNING'] }).length, 45);
    assert.equal(all(t.store, { types: ['PROCESS_STATE_RUN'] }).length, 0, 'a prefix ends at an underscore');
    assert.equal(all(t.store, { types: ['HUB'] }).length, 3);
    assert.equal(all(t.store, { states: ['exited'] }).length, 15);
    assert.equal(all(t.store, { since: T0 + 9 * HOUR }).length, 9);
    assert.equal(all(t.store, { since: '1h' }).length, 9, 'relative to now = T0+10h');
    assert.equal(all(t.store, { since: T0, until: T0 + HOUR }).length, 9, 'until is exclusive');
    // Everything at once.
    const combined = all(t.store, { tags: ['web'], hosts: ['*1'], groups: ['jobs'], processes: ['w*'], types: ['PROCESS_STATE'], states: ['EXITED'], since: '6h', until: T0 + 8 * HOUR });
    assert.deepEqual(
      combined.map((e) => [e.agent, e.process, e.toState, e.time]),
      [['web1', 'worker', 'EXITED', T0 + 7 * HOUR + 2 * MIN], ['web1', 'worker', 'EXITED', T0 + 5 * HOUR + 2 * MIN]],
    );
    assert.equal(all(t.store, { hosts: ['nobody'] }).length, 0);
  } finally {
    t.cleanup();
  }
});

test('newest first by default, oldest first on request', () => {
  const t = tempStore();
  try {
    seed(t.store);
    const desc = all(t.store, { hosts: ['web1'] });
    const asc = all(t.store, { hosts: ['web1'], order: 'asc' });
    assert.deepEqual(asc.map((e) => e.id), [...desc].reverse().map((e) => e.id));
    for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1].time >= desc[i].time);
  } finally {
    t.cleanup();
  }
});

function pageThrough(store: HubStore, filter: EventFilter): { pages: number; ids: number[] } {
  const ids: number[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = store.history.query({ ...filter, after }, NOW);
    ids.push(...page.events.map((e) => e.id!));
    after = page.next;
    pages++;
    assert.ok(pages < 1000);
  } while (after !== undefined);
  return { pages, ids };
}

test('keyset pages cover every event once, in both orders, through each query plan', () => {
  const t = tempStore();
  try {
    // 80 processes (more than the per-series merge handles) with many events sharing a timestamp.
    const events: HubEvent[] = [];
    for (let i = 0; i < 800; i++) events.push(stateEvent('big', `p${i % 80}`, i % 3 === 0 ? 'RUNNING' : 'EXITED', T0 + Math.floor(i / 7) * 1000, i + 1));
    t.store.events.ingest('big', events);
    seed(t.store);
    const filters: EventFilter[] = [
      {}, // no series filter: the time index
      { hosts: ['big'], processes: ['p1*'] }, // 11 series: merged per-series reads
      { hosts: ['big'] }, // 80 series: time index filtered by series
      { hosts: ['big'], states: ['RUNNING'] },
    ];
    for (const filter of filters) {
      for (const order of ['desc', 'asc'] as const) {
        const expected = all(t.store, { ...filter, order }).map((e) => e.id!);
        const { pages, ids } = pageThrough(t.store, { ...filter, order, limit: 7 });
        assert.deepEqual(ids, expected, `${JSON.stringify(filter)} ${order}`);
        assert.equal(new Set(ids).size, ids.length);
        assert.ok(pages >= Math.ceil(expected.length / 7), JSON.stringify(filter));
      }
    }
    const firstPage = t.store.history.query({ hosts: ['big'], limit: 800 }, NOW);
    assert.equal(firstPage.events.length, 800);
    assert.equal(firstPage.next, undefined, 'no next cursor when the page holds the rest');
  } finally {
    t.cleanup();
  }
});

test('events arriving between pages neither shift nor repeat the older pages', () => {
  const t = tempStore();
  try {
    seed(t.store);
    const first = t.store.history.query({ hosts: ['web1'], limit: 10 }, NOW);
    t.store.events.ingest('web1', [stateEvent('web1', 'api', 'STOPPED', T0 + 9.5 * HOUR, 1000, { group: 'web' })]);
    const second = t.store.history.query({ hosts: ['web1'], limit: 10, after: first.next }, NOW);
    const firstIds = new Set(first.events.map((e) => e.id));
    assert.ok(second.events.every((e) => !firstIds.has(e.id)));
    assert.ok(second.events[0].time <= first.events.at(-1)!.time);
  } finally {
    t.cleanup();
  }
});

test('unreadable cursors, limits and orders are typed errors', () => {
  const t = tempStore();
  try {
    const isBadInput = (err: unknown): boolean => err instanceof FleetvisorError && err.code === 'FV_STORE_BAD_INPUT';
    assert.throws(() => t.store.history.query({ after: 'garbage' }), isBadInput);
    assert.throws(() => t.store.history.query({ limit: 0 }), isBadInput);
    assert.throws(() => t.store.history.query({ limit: 1.5 }), isBadInput);
    assert.throws(() => t.store.history.query({ order: 'up' as 'asc' }), isBadInput);
    assert.throws(() => t.store.history.query({ since: 'yesterday' }), isBadInput);
  } finally {
    t.cleanup();
  }
});

test('parseTimeSpec reads epoch ms, ISO dates and spans back from now', () => {
  const now = Date.UTC(2024, 5, 1, 12, 0, 0);
  assert.equal(parseTimeSpec(1234, now), 1234);
  assert.equal(parseTimeSpec('1234', now), 1234);
  assert.equal(parseTimeSpec('30s', now), now - 30_000);
  assert.equal(parseTimeSpec('30m', now), now - 30 * MIN);
  assert.equal(parseTimeSpec('2h', now), now - 2 * HOUR);
  assert.equal(parseTimeSpec('7d', now), now - 7 * 24 * HOUR);
  assert.equal(parseTimeSpec('2w', now), now - 14 * 24 * HOUR);
  assert.equal(parseTimeSpec('1.5h', now), now - 1.5 * HOUR);
  assert.equal(parseTimeSpec(' 2h ', now), now - 2 * HOUR);
  assert.equal(parseTimeSpec('2024-06-01T00:00:00Z', now), Date.UTC(2024, 5, 1));
  for (const bad of ['', '2x', 'h', '-2h', 'now', Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => parseTimeSpec(bad, now), FleetvisorError, String(bad));
  }
});
