import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EventSerials } from '../../node-agent/events/serials.js';
import { eventsHarness, listenerGroup, programGroup, PYTHON, type EventsHarness } from './harness.js';

const LISTENER = fileURLToPath(new URL('./listener.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fv-events-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Received {
  header: string;
  payload: string;
}

function received(h: EventsHarness, name: string): Received[] {
  return (h.stderr.get(name) ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Received);
}

function listener(mode: string, events: string[], extra: string[] = []) {
  return listenerGroup('lst', events, { command: [PYTHON, '-u', LISTENER, mode, ...extra].join(' ') });
}

test('a real childutils listener receives envelopes byte-exact (compat §10 items 39-40)', async () => {
  const h = eventsHarness([listener('ok', ['PROCESS_STATE', 'REMOTE_COMMUNICATION']), programGroup('quick', { command: '/bin/true' })]);
  try {
    h.supervisor.boot();
    h.proc('lst').spawn();
    await h.until(() => h.events.pool('lst')?.listenerState('lst') === 'READY' && received(h, 'lst').length >= 2);
    h.proc('quick').spawn();
    h.supervisor.publish('REMOTE_COMMUNICATION', [['type', 'mytype']], 'hello world');
    await h.until(() => received(h, 'lst').some((r) => r.header.includes('REMOTE_COMMUNICATION')));
    const got = received(h, 'lst');
    assert.equal(
      got[0].header + got[0].payload,
      'ver:3.0 server:supervisor serial:0 pool:lst poolserial:0 eventname:PROCESS_STATE_STARTING len:56\nprocessname:lst groupname:lst from_state:STOPPED tries:0',
    );
    const starting = got.find((r) => r.payload.startsWith('processname:quick'));
    assert.ok(starting);
    assert.equal(
      starting.header + starting.payload,
      'ver:3.0 server:supervisor serial:2 pool:lst poolserial:2 eventname:PROCESS_STATE_STARTING len:60\nprocessname:quick groupname:quick from_state:STOPPED tries:0',
    );
    const remote = got.find((r) => r.header.includes('REMOTE_COMMUNICATION'));
    assert.ok(remote);
    assert.match(remote.header, /^ver:3\.0 server:supervisor serial:\d+ pool:lst poolserial:\d+ eventname:REMOTE_COMMUNICATION len:23\n$/);
    assert.equal(remote.payload, 'type:mytype\nhello world');
    const serials = got.map((r) => Number(/serial:(\d+)/.exec(r.header)?.[1]));
    assert.deepEqual(serials, [...serials].sort((a, b) => a - b), 'delivered in serial order');
    assert.equal(new Set(serials).size, serials.length, 'no duplicates');
  } finally {
    await h.cleanup();
  }
});

test('a rejected event is logged and delivered again', async () => {
  const h = eventsHarness([listener('fail-once', ['REMOTE_COMMUNICATION'])]);
  try {
    h.supervisor.boot();
    h.proc('lst').spawn();
    h.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'again');
    await h.until(() => received(h, 'lst').length >= 2);
    const [first, second] = received(h, 'lst');
    assert.equal(first.header, second.header, 'same serial and poolserial the second time');
    assert.equal(second.payload, 'type:t\nagain');
    assert.match(h.logger.text(), /^WARN lst: event was rejected$/m);
  } finally {
    await h.cleanup();
  }
});

test('a listener that dies while busy gets the event again after its restart', async () => {
  const marker = join(dir, 'died');
  const h = eventsHarness([listener('die-once', ['REMOTE_COMMUNICATION'], [marker])]);
  try {
    h.supervisor.boot();
    h.proc('lst').spawn();
    h.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'once');
    await h.until(() => received(h, 'lst').length >= 2);
    const [first, second] = received(h, 'lst');
    assert.equal(first.header, second.header);
    assert.ok(h.published.some((e) => e.type === 'PROCESS_STATE_EXITED'), 'the first listener exited');
  } finally {
    await h.cleanup();
  }
});

test('output other than READY\\n puts the listener in UNKNOWN with supervisord\'s warning', async () => {
  const h = eventsHarness([listenerGroup('lst', ['REMOTE_COMMUNICATION'], { command: "sh -c 'echo garbage; exec sleep 30'" })]);
  try {
    h.supervisor.boot();
    h.proc('lst').spawn();
    await h.until(() => h.events.pool('lst')?.listenerState('lst') === 'UNKNOWN');
    assert.match(
      h.logger.text(),
      /^WARN lst: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol$/m,
    );
    h.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'x');
    assert.deepEqual(h.events.pool('lst')?.queuedSerials(), [0], 'an UNKNOWN listener gets no events');
  } finally {
    await h.cleanup();
  }
});

test('a full buffer drops the oldest event with an ERRO line', async () => {
  const h = eventsHarness([listener('ok', ['REMOTE_COMMUNICATION'])].map((g) => ({
    ...g,
    processes: g.processes.map((p) => ({ ...p, listener: { ...p.listener!, bufferSize: 2 } })),
  })));
  try {
    h.supervisor.boot();
    for (let i = 0; i < 4; i++) h.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], String(i));
    assert.deepEqual(h.events.pool('lst')?.queuedSerials(), [2, 3]);
    const errors = h.logger.lines.filter((l) => l.level === 'ERRO').map((l) => l.msg);
    assert.deepEqual(errors, [
      'pool lst event buffer overflowed, discarding event 0',
      'pool lst event buffer overflowed, discarding event 1',
    ]);
  } finally {
    await h.cleanup();
  }
});

test('the global serial counts only accepted events and survives a reload', async () => {
  const serials = new EventSerials();
  const first = eventsHarness([listener('ok', ['REMOTE_COMMUNICATION'])], { serials });
  first.supervisor.boot();
  first.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'a');
  first.supervisor.publish('TICK_5', [['when', 5]]);
  first.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'b');
  assert.deepEqual(first.events.pool('lst')?.queuedSerials(), [0, 1], 'the unsubscribed TICK took no serial');
  await first.cleanup();

  const second = eventsHarness([listener('ok', ['REMOTE_COMMUNICATION'])], { serials });
  second.supervisor.boot();
  second.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'c');
  assert.deepEqual(second.events.pool('lst')?.queuedSerials(), [2]);
  await second.cleanup();
});

test('pools see their own PROCESS_GROUP_ADDED and the later ones only', async () => {
  const early = { ...programGroup('early', { command: '/bin/true' }), priority: -5 };
  const h = eventsHarness([early, listener('ok', ['PROCESS_GROUP']), programGroup('late', { command: '/bin/true' })]);
  try {
    h.supervisor.boot();
    const payloads = () => h.published.filter((e) => e.type === 'PROCESS_GROUP_ADDED').length;
    assert.equal(payloads(), 3);
    assert.equal(h.events.pool('lst')?.queuedSerials().length, 2, 'lst and late, not early');
  } finally {
    await h.cleanup();
  }
});

test('a rejected event leaks into other pools of the same priority (supervisord quirk), unless disabled', async () => {
  for (const leak of [true, false]) {
    const other = { ...listenerGroup('other', ['TICK_60'], { command: 'sleep 30' }) };
    const h = eventsHarness([listener('fail-once', ['REMOTE_COMMUNICATION']), other], { leakRejectedEvents: leak });
    try {
      h.supervisor.boot();
      h.proc('lst').spawn();
      h.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'x');
      await h.until(() => received(h, 'lst').length >= 2);
      assert.deepEqual(h.events.pool('other')?.queuedSerials(), leak ? [0] : []);
    } finally {
      await h.cleanup();
    }
  }
});
