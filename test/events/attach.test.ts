import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventsHarness, programGroup } from './harness.js';

test('the ring gets every bus event with what the process knew (exit status, spawn error)', async () => {
  const talker = programGroup('talker', { command: "sh -c 'echo hello; exec sleep 30'" });
  talker.processes[0].stdout.eventsEnabled = true;
  const h = eventsHarness([programGroup('exit3', { command: "sh -c 'exit 3'", autorestart: 'false' }), talker]);
  try {
    h.supervisor.boot();
    h.proc('exit3').spawn();
    h.proc('talker').spawn();
    h.supervisor.publish('TICK_5', [['when', 5]]);
    await h.until(() => h.ring.read('', 100).events.some((e) => e.type === 'PROCESS_STATE_EXITED'));
    await h.until(() => h.ring.read('', 100).events.some((e) => e.type === 'PROCESS_LOG_STDOUT'));
    const events = h.ring.read('', 100).events;
    assert.deepEqual(
      events.filter((e) => e.type === 'PROCESS_GROUP_ADDED').map((e) => e.group),
      ['exit3', 'talker'],
    );
    assert.equal(events.filter((e) => e.type.startsWith('TICK_')).length, 0, 'ticks stay out of the ring');
    const exited = events.find((e) => e.type === 'PROCESS_STATE_EXITED');
    assert.ok(exited);
    assert.equal(exited.process, 'exit3');
    assert.equal(exited.from_state, 'RUNNING');
    assert.equal(exited.to_state, 'EXITED');
    assert.equal(exited.expected, false);
    assert.equal(exited.exitstatus, 3);
    assert.equal(exited.spawnerr, 'Bad exit code 3');
    assert.match(exited.payload, /^processname:exit3 groupname:exit3 from_state:RUNNING expected:0 pid:\d+$/);
    const log = events.find((e) => e.type === 'PROCESS_LOG_STDOUT');
    assert.ok(log);
    assert.equal(log.data, 'hello\n');
    assert.equal(log.channel, 'stdout');
    assert.equal(log.pid, h.proc('talker').pid);
    const serials = events.map((e) => e.serial);
    assert.deepEqual(serials, serials.map((_, i) => i + 1));
  } finally {
    await h.cleanup();
  }
});

test('detach ends pending long-polls and keeps later ones short until the next attach', async () => {
  const h = eventsHarness([]);
  const pending = h.ring.wait(h.ring.read('', 1).cursor, 60_000);
  await h.cleanup();
  await pending;
  const began = performance.now();
  await h.ring.wait(h.ring.read('', 1).cursor, 60_000);
  assert.ok(performance.now() - began < 50);
  const again = eventsHarness([], { ring: h.ring });
  try {
    assert.equal(h.ring.waiting, 0);
    const waiting = again.ring.wait(again.ring.read('', 1).cursor, 60_000);
    assert.equal(again.ring.waiting, 1, 'a new attach makes long-polls wait again');
    again.supervisor.publish('REMOTE_COMMUNICATION', [['type', 't']], 'x');
    await waiting;
  } finally {
    await again.cleanup();
  }
});
