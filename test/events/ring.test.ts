import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RpcFault } from '../../node-agent/api/faults.js';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { EventRing } from '../../node-agent/events/ring.js';
import type { AgentEvent } from '../../node-agent/events/types.js';
import { createRegistry } from '../../node-agent/rpc/index.js';
import { registerFleetvisorNamespace } from '../../node-agent/rpc/fleetvisor-namespace.js';
import type { Supervisor } from '../../node-agent/supervisor/supervisor.js';

interface Answer {
  events: Array<Record<string, XmlRpcValue>>;
  cursor: string;
  boot: string;
  resync: boolean;
}

const ctx = { server: 'test' };

function setup(capacity = 20000) {
  const ring = new EventRing({ capacity });
  const registry = createRegistry();
  const supervisor = { allByName: () => [] } as unknown as Supervisor;
  registerFleetvisorNamespace(registry, { ring, supervisor });
  const getEvents = async (...params: XmlRpcValue[]) => (await registry.call('fleetvisor.getEvents', params, ctx)) as unknown as Answer;
  return { ring, registry, getEvents };
}

function remote(i: number): AgentEvent {
  return { type: 'REMOTE_COMMUNICATION', time: 1_700_000_000_123 + i, fields: [['type', 't']], data: String(i) };
}

function push(ring: EventRing, event: AgentEvent) {
  ring.push(event, `type:t\n${event.data}`);
}

test('a 10,000-event burst read in chunks loses and duplicates nothing', async () => {
  const { ring, getEvents } = setup();
  for (let i = 0; i < 10_000; i++) push(ring, remote(i));
  let cursor = '';
  const seen: number[] = [];
  for (;;) {
    const answer = await getEvents(cursor, 0, 777);
    assert.equal(answer.resync, false);
    if (answer.events.length === 0) break;
    assert.ok(answer.events.length <= 777);
    for (const e of answer.events) seen.push(Number(e.data));
    cursor = answer.cursor;
  }
  assert.equal(seen.length, 10_000);
  assert.deepEqual(seen, Array.from({ length: 10_000 }, (_, i) => i));
});

test('event structs carry the payload fields under stable names, never nil', () => {
  const ring = new EventRing();
  const struct = ring.push(
    {
      type: 'PROCESS_STATE_EXITED',
      time: 1_700_000_000_123,
      fields: [['processname', 'p'], ['groupname', 'g'], ['from_state', 'RUNNING'], ['expected', 0], ['pid', 42]],
    },
    'processname:p groupname:g from_state:RUNNING expected:0 pid:42',
    { exitstatus: 3, spawnerr: 'Bad exit code 3' },
  );
  assert.deepEqual(struct, {
    serial: 1,
    type: 'PROCESS_STATE_EXITED',
    time: 1_700_000_000.123,
    payload: 'processname:p groupname:g from_state:RUNNING expected:0 pid:42',
    process: 'p',
    group: 'g',
    from_state: 'RUNNING',
    to_state: 'EXITED',
    expected: false,
    pid: 42,
    exitstatus: 3,
    spawnerr: 'Bad exit code 3',
  });
  assert.ok(Object.values(struct).every((v) => v !== undefined && v !== null));
});

test('resync when the cursor fell out of the ring, or comes from another boot', async () => {
  const { ring, getEvents } = setup(10);
  for (let i = 0; i < 5; i++) push(ring, remote(i));
  const early = await getEvents('', 0, 2);
  for (let i = 5; i < 20; i++) push(ring, remote(i));
  const late = await getEvents(early.cursor, 0, 100);
  assert.equal(late.resync, true);
  assert.deepEqual(late.events.map((e) => Number(e.data)), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 'from the oldest held');
  const caughtUp = await getEvents(late.cursor, 0, 100);
  assert.equal(caughtUp.resync, false);
  assert.equal(caughtUp.events.length, 0);

  const other = new EventRing();
  const foreign = `${other.boot}:3`;
  const answer = await getEvents(foreign, 0, 100);
  assert.equal(answer.resync, true);
  assert.equal(answer.boot, ring.boot);
  assert.notEqual(answer.boot, other.boot);
  assert.equal((await getEvents('garbage', 0, 1)).resync, true);
  assert.equal((await getEvents('', 0, 1)).resync, false, 'the empty cursor never asks for a resync');
});

test('a cursor exactly at the oldest held event is not a gap', async () => {
  const { ring, getEvents } = setup(3);
  for (let i = 0; i < 3; i++) push(ring, remote(i));
  const all = await getEvents('', 0, 10);
  push(ring, remote(3));
  push(ring, remote(4));
  push(ring, remote(5));
  const next = await getEvents(all.cursor, 0, 10);
  assert.equal(next.resync, false);
  assert.deepEqual(next.events.map((e) => Number(e.data)), [3, 4, 5]);
});

test('a long-poll returns within a few ms of an event, and empty when the wait ends', async () => {
  const { ring, getEvents } = setup();
  push(ring, remote(0));
  const start = await getEvents('', 0, 10);
  let pushedAt = 0;
  const pending = getEvents(start.cursor, 30, 10).then((answer) => ({ answer, latency: performance.now() - pushedAt }));
  await new Promise((r) => setTimeout(r, 50));
  pushedAt = performance.now();
  push(ring, remote(1));
  const { answer, latency } = await pending;
  assert.deepEqual(answer.events.map((e) => Number(e.data)), [1]);
  assert.ok(latency < 20, `latency ${latency} ms`);

  const began = performance.now();
  const empty = await getEvents(answer.cursor, 0.2, 10);
  const waited = performance.now() - began;
  assert.equal(empty.events.length, 0);
  assert.equal(empty.cursor, answer.cursor);
  assert.ok(waited >= 190 && waited < 600, `waited ${waited} ms`);
});

test('1000 idle long-polls cost no CPU and all wake on one event', async () => {
  const { ring, getEvents } = setup();
  const polls = Array.from({ length: 1000 }, () => getEvents('', 60, 10));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ring.waiting, 1000);
  const cpuBefore = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 500));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  assert.ok(cpuMs < 60, `idle CPU ${cpuMs} ms over 500 ms`);
  push(ring, remote(7));
  const answers = await Promise.all(polls);
  assert.ok(answers.every((a) => a.events.length === 1 && a.events[0].data === '7'));
  assert.equal(ring.waiting, 0);
});

test('releaseWaiters ends pending long-polls at once (for shutdown)', async () => {
  const { ring, getEvents } = setup();
  const pending = getEvents('', 300, 10);
  await new Promise((r) => setImmediate(r));
  ring.releaseWaiters();
  const answer = await pending;
  assert.equal(answer.events.length, 0);
});

test('bad argument types are INCORRECT_PARAMETERS; limits are capped', async () => {
  const { ring, getEvents } = setup();
  for (const params of [[5], ['', 'x'], ['', 0, 'many'], ['', true], []] as XmlRpcValue[][]) {
    await assert.rejects(getEvents(...params), (err: unknown) => err instanceof RpcFault && err.faultCode === 2, JSON.stringify(params));
  }
  for (let i = 0; i < 12_000; i++) push(ring, remote(i));
  assert.equal((await getEvents('', 0, 1_000_000)).events.length, 10_000);
  assert.equal((await getEvents('', 0, -5)).events.length, 1);
  assert.equal((await getEvents('')).events.length, 1000);
});

test('the ring is bounded in bytes as well as in count', () => {
  const ring = new EventRing({ capacity: 1000, maxBytes: 100_000 });
  for (let i = 0; i < 100; i++) {
    ring.push({ type: 'PROCESS_LOG_STDOUT', time: 0, fields: [], data: 'x'.repeat(10_000) }, 'x'.repeat(10_000));
  }
  assert.ok(ring.size < 10, `held ${ring.size}`);
  assert.equal(ring.lastSerial, 100);
  assert.equal(ring.oldestSerial, 100 - ring.size + 1);
});

test('fleetvisor.* methods are listed with signatures and help', async () => {
  const { registry } = setup();
  const names = (await registry.call('system.listMethods', [], ctx)) as string[];
  for (const name of ['fleetvisor.getEvents', 'fleetvisor.getHostInfo', 'fleetvisor.getProcessStats']) {
    assert.ok(names.includes(name), name);
    const help = await registry.call('system.methodHelp', [name], ctx);
    assert.ok(typeof help === 'string' && help.length > 20);
  }
  assert.deepEqual(await registry.call('system.methodSignature', ['fleetvisor.getEvents'], ctx), ['struct', 'string', 'int', 'int']);
});
