import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pLimit from 'p-limit';
import { AgentConnector } from '../../hub/fleet/connector.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import type { HubEvent } from '../../hub/types.js';
import { fleetvisordAvailable, REPO, startAgent, type TestAgent } from './agents.js';
import type { SavedState } from './connector-child.js';

const PROGRAMS = `
[program:sleeper]
command=/bin/sleep 1000
startsecs=0
autorestart=false

[program:crasher]
command=/bin/sh -c 'echo crash-out-line; echo crash-err-line >&2; exit 3'
autostart=false
startsecs=0
autorestart=false

[program:flapper]
command=/bin/sleep 0.1
autostart=false
startsecs=0
autorestart=true
`;

function connectorFor(agent: TestAgent, sink: MemorySink): AgentConnector {
  return new AgentConnector(agent.spec('a'), {
    sink,
    limit: pLimit(8),
    timeouts: { callMs: 2000, longPollSeconds: 2 },
    pollIntervalMs: 200,
    backoff: { initialMs: 50, maxMs: 200 },
  });
}

const isEvent = (agentEvent: HubEvent, type: string, process: string): boolean => agentEvent.type === type && agentEvent.process === process;

describe('subscription to a real fleetvisord', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built' }, () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startAgent('fleetvisord', PROGRAMS);
  });
  after(async () => {
    await agent?.dispose();
  });

  test('state events arrive within 1 s of a stop and a start, in serial order, and move the snapshot', async () => {
    const sink = new MemorySink();
    const connector = connectorFor(agent, sink);
    connector.start();
    try {
      await sink.waitFor(() => sink.row('a', 'sleeper')?.state === 'RUNNING', 5000, 'sleeper RUNNING in the snapshot');
      // the events since the agent's boot come first (a cursor is stored once they are)
      await sink.waitFor(() => sink.getCursor('a'), 3000, 'caught up');
      assert.equal(connector.health.state, 'online');
      assert.equal(connector.health.kind, 'fleetvisord');
      assert.match(connector.health.version ?? '', /^\d+\.\d+\.\d+/);
      const before = sink.events.length;

      const stopAt = Date.now();
      await agent.client.call('supervisor.stopProcess', ['sleeper']);
      const stopped = await sink.waitFor(() => sink.events.slice(before).find((e) => isEvent(e, 'PROCESS_STATE_STOPPED', 'sleeper')), 1000, 'STOPPED event');
      assert.ok(Date.now() - stopAt < 1000);
      assert.equal(stopped.fromState, 'STOPPING');
      assert.equal(stopped.observed, false);
      assert.equal(typeof stopped.serial, 'number');
      assert.equal(sink.row('a', 'sleeper')?.state, 'STOPPED');

      const startAt = Date.now();
      await agent.client.call('supervisor.startProcess', ['sleeper']);
      const afterStop = sink.events.indexOf(stopped);
      const running = await sink.waitFor(() => sink.events.slice(afterStop).find((e) => isEvent(e, 'PROCESS_STATE_RUNNING', 'sleeper')), 1000, 'RUNNING event');
      assert.ok(Date.now() - startAt < 1000);
      assert.ok((running.pid ?? 0) > 0);
      await sink.waitFor(() => sink.row('a', 'sleeper')?.pid === running.pid, 2000, 'snapshot pid');

      const serials = sink.events.filter((e) => e.serial !== null).map((e) => e.serial as number);
      assert.deepEqual(serials, [...serials].sort((x, y) => x - y));
      assert.equal(new Set(serials).size, serials.length);
      assert.match(sink.getCursor('a') ?? '', new RegExp(`^${connector.health.boot}:\\d+$`));
    } finally {
      await connector.stop();
    }
  });

  test('an unexpected exit is stored with the last lines of stdout and stderr', async () => {
    const sink = new MemorySink();
    const connector = connectorFor(agent, sink);
    connector.start();
    try {
      await sink.waitFor(() => connector.health.state === 'online' && sink.snapshots.has('a'), 5000, 'online');
      await agent.client.call('supervisor.startProcess', ['crasher']);
      const exited = await sink.waitFor(() => sink.events.find((e) => isEvent(e, 'PROCESS_STATE_EXITED', 'crasher') && e.expected === false), 3000, 'EXITED');
      assert.equal(exited.exitStatus, 3);
      assert.match(exited.crashStdout ?? '', /crash-out-line/);
      assert.match(exited.crashStderr ?? '', /crash-err-line/);
      const stopped = sink.events.find((e) => isEvent(e, 'PROCESS_STATE_STOPPED', 'sleeper'));
      assert.equal(stopped?.crashStdout, undefined, 'an expected stop carries no crash context');
    } finally {
      await connector.stop();
    }
  });

  test('a restarted connector resumes from the stored cursor: nothing stored twice', async () => {
    const sink = new MemorySink();
    const first = connectorFor(agent, sink);
    first.start();
    await sink.waitFor(() => sink.getCursor('a'), 5000, 'a cursor');
    await first.stop();
    const stored = sink.events.length;
    await agent.client.call('supervisor.stopProcess', ['sleeper']).catch(() => undefined);
    await agent.client.call('supervisor.startProcess', ['sleeper']);
    const second = connectorFor(agent, sink);
    second.start();
    try {
      await sink.waitFor(() => sink.events.slice(stored).find((e) => isEvent(e, 'PROCESS_STATE_RUNNING', 'sleeper')), 3000, 'RUNNING after resume');
      const serials = sink.events.filter((e) => e.serial !== null).map((e) => e.serial);
      assert.equal(new Set(serials).size, serials.length, 'no serial twice');
      const firstNew = sink.events.slice(stored).find((e) => e.serial !== null);
      const lastOld = sink.events.slice(0, stored).filter((e) => e.serial !== null).at(-1);
      assert.equal(firstNew?.serial, (lastOld?.serial ?? 0) + 1, 'no serial skipped');
    } finally {
      await second.stop();
    }
  });

  test('killed with SIGKILL mid-stream and started again on the same store: no event lost, none twice', async () => {
    const file = join(agent.dir, 'hub-state.json');
    const read = (): SavedState => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as SavedState;
      } catch {
        return { events: [] };
      }
    };
    const until = async (check: () => boolean, timeoutMs: number, what: string): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const runChild = () =>
      spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'hub-fleet', 'connector-child.ts'), agent.url, file], { cwd: REPO, stdio: 'ignore' });

    await agent.client.call('supervisor.startProcess', ['flapper']);
    const one = runChild();
    try {
      await until(() => read().events.length >= 30, 15_000, 'first child storing events');
      one.kill('SIGKILL');
      await new Promise((resolve) => one.once('exit', resolve));
      const atKill = read().events.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const two = runChild();
      try {
        await until(() => read().events.length >= atKill + 30, 15_000, 'second child storing events');
        await agent.client.call('supervisor.stopProcess', ['flapper']).catch(() => undefined);
        const ring = (await agent.client.call('fleetvisor.getEvents', ['', 0, 10000])) as { events: Array<{ serial: number }> };
        const last = ring.events.at(-1)!.serial;
        await until(() => read().events.some((e) => e.serial === last), 10_000, `serial ${last} stored`);
      } finally {
        two.kill('SIGKILL');
      }
      const serials = read()
        .events.filter((e) => e.serial !== null)
        .map((e) => e.serial);
      assert.deepEqual(serials, Array.from({ length: serials.length }, (_, i) => i + 1), 'serials 1..N, each once, in order');
      assert.ok(serials.length > atKill);
    } finally {
      one.kill('SIGKILL');
    }
  });

  test('an agent restart (new boot) is recorded as a gap followed by a resync from a fresh snapshot', async () => {
    const sink = new MemorySink();
    const connector = connectorFor(agent, sink);
    connector.start();
    try {
      await sink.waitFor(() => sink.getCursor('a'), 5000, 'a cursor');
      const oldBoot = connector.health.boot;
      assert.ok(oldBoot);
      await agent.restart();
      const resync = await sink.waitFor(() => sink.events.find((e) => e.type === 'HUB_RESYNC'), 8000, 'HUB_RESYNC');
      const gapIndex = sink.events.findIndex((e) => e.type === 'HUB_GAP');
      assert.ok(gapIndex >= 0 && gapIndex < sink.events.indexOf(resync), 'the gap comes before the resync');
      const gap = sink.events[gapIndex];
      const details = JSON.parse(gap.payload ?? '{}') as { reason: string; previousBoot: string; boot: string };
      assert.equal(details.reason, 'boot_changed');
      assert.equal(details.previousBoot, oldBoot);
      assert.notEqual(details.boot, oldBoot);
      assert.equal(gap.boot, details.boot);
      assert.equal(connector.health.boot, details.boot);
      assert.ok(sink.getCursor('a')?.startsWith(`${details.boot}:`));
      // health went offline while the agent was down, and back online
      const states = sink.eventsOf('a').filter((e) => e.type === 'HUB_AGENT_HEALTH').map((e) => e.toState);
      assert.deepEqual(states.slice(-2), ['offline', 'online']);
      await sink.waitFor(() => sink.row('a', 'sleeper')?.state === 'RUNNING', 3000, 'snapshot after resync');
    } finally {
      await connector.stop();
    }
  });
});
