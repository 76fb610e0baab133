import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pLimit from 'p-limit';
import { AgentConnector } from '../../hub/fleet/connector.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import { startAgent, type TestAgent } from './agents.js';

const POLL_MS = 200;

const PROGRAMS = `
[program:victim]
command=/bin/sh -c 'echo victim-out-line; echo victim-err-line >&2; exec /bin/sleep 1000'
startsecs=0
autorestart=false

[program:phoenix]
command=/bin/sleep 1000
startsecs=0
autorestart=true
`;

describe('polling a real supervisord', () => {
  let agent: TestAgent;
  let sink: MemorySink;
  let connector: AgentConnector;
  before(async () => {
    agent = await startAgent('supervisord', PROGRAMS);
    sink = new MemorySink();
    connector = new AgentConnector(agent.spec('s'), {
      sink,
      limit: pLimit(8),
      timeouts: { callMs: 2000, longPollSeconds: 2 },
      pollIntervalMs: POLL_MS,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    connector.start();
    await sink.waitFor(() => {
      const table = sink.snapshots.get('s');
      return table?.get('victim')?.state === 'RUNNING' && table.get('phoenix')?.state === 'RUNNING';
    }, 10_000, 'both RUNNING');
  });
  after(async () => {
    await connector?.stop();
    await agent?.dispose();
  });

  test('is detected as a plain supervisord and polled', () => {
    const health = connector.health;
    assert.equal(health.state, 'online');
    assert.equal(health.kind, 'supervisord');
    assert.equal(health.version, '4.2.5');
    assert.match(health.boot ?? '', /^pid:\d+$/);
    assert.ok((health.latencyMs ?? -1) >= 0);
    assert.ok((health.lastContact ?? 0) > Date.now() - 5000);
    assert.equal(sink.eventsOf('s').filter((e) => e.type.startsWith('PROCESS_')).length, 0, 'the first table is a snapshot, not events');
  });

  test('a killed child shows up as observed events within one poll interval, with its last log lines', async () => {
    // supervisord copies output to the log in its own loop: kill only once both lines are in the logs.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [out] = (await agent.client.call('supervisor.tailProcessStdoutLog', ['victim', 0, 1000])) as [string];
      const [err] = (await agent.client.call('supervisor.tailProcessStderrLog', ['victim', 0, 1000])) as [string];
      if (out.includes('victim-out-line') && err.includes('victim-err-line')) break;
      assert.ok(Date.now() < deadline, 'victim output not logged within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pid = sink.row('s', 'victim')!.pid;
    assert.ok(pid > 0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const exited = await sink.waitFor(() => sink.events.find((e) => e.type === 'PROCESS_STATE_EXITED' && e.process === 'victim'), 3000, 'observed EXITED');
    // supervisord notices the exit at once; the hub at its next poll
    assert.ok(Date.now() - killedAt < POLL_MS + 500, `took ${Date.now() - killedAt} ms`);
    assert.equal(exited.observed, true);
    assert.equal(exited.serial, null);
    assert.equal(exited.fromState, 'RUNNING');
    assert.equal(exited.toState, 'EXITED');
    assert.equal(exited.pid, pid);
    assert.match(exited.crashStdout ?? '', /victim-out-line/);
    assert.match(exited.crashStderr ?? '', /victim-err-line/);
    assert.equal(sink.row('s', 'victim')?.state, 'EXITED');
  });

  test('a child restarted between two polls is an observed event with the new pid', async () => {
    const old = sink.row('s', 'phoenix')!.pid;
    process.kill(old, 'SIGKILL');
    const event = await sink.waitFor(
      () => sink.events.find((e) => e.process === 'phoenix' && e.observed && e.pid !== undefined && e.pid !== old && e.toState === 'RUNNING'),
      3000,
      'phoenix back RUNNING',
    );
    assert.equal(event.type, 'PROCESS_STATE_RUNNING');
    await sink.waitFor(() => sink.row('s', 'phoenix')?.pid === event.pid, 2000, 'snapshot follows');
  });

  test('a stop through the agent appears as observed STOPPED', async () => {
    await agent.client.call('supervisor.stopProcess', ['phoenix']);
    const stopped = await sink.waitFor(() => sink.events.find((e) => e.type === 'PROCESS_STATE_STOPPED' && e.process === 'phoenix'), 2000, 'STOPPED');
    assert.equal(stopped.observed, true);
    assert.equal(stopped.crashStdout, undefined, 'a stop is not a crash');
  });
});
