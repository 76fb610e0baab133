import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pLimit from 'p-limit';
import { AgentConnector } from '../../hub/fleet/connector.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import { Backoff } from '../../hub/fleet/backoff.js';
import type { AgentSpec } from '../../hub/types.js';
import { closedPortUrl, fleetvisordAvailable, startAgent, startSilentServer, startUnknownMethodServer, type TestAgent } from './agents.js';

function connectorFor(spec: AgentSpec, sink: MemorySink, backoff = { initialMs: 50, maxMs: 200 }): AgentConnector {
  return new AgentConnector(spec, { sink, limit: pLimit(8), timeouts: { callMs: 1000, longPollSeconds: 1 }, pollIntervalMs: 200, backoff });
}

const spec = (name: string, url: string, extra: Partial<AgentSpec> = {}): AgentSpec => ({ name, url, tags: [], source: 'config', ...extra });

describe('agent health', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('nothing listening: offline, with the reason, and a health event', async () => {
    const sink = new MemorySink();
    const connector = connectorFor(spec('gone', await closedPortUrl()), sink);
    connector.start();
    cleanups.push(() => connector.stop());
    const health = await sink.waitFor(() => sink.health('gone')?.state === 'offline' && sink.health('gone'), 3000, 'offline');
    assert.match(health.error ?? '', /ECONNREFUSED/);
    assert.equal(health.lastContact, undefined);
    const event = sink.eventsOf('gone').find((e) => e.type === 'HUB_AGENT_HEALTH');
    assert.equal(event?.fromState, 'unknown');
    assert.equal(event?.toState, 'offline');
    assert.equal(event?.serial, null);
  });

  test('credentials in the URL stay out of the health and its history event', async () => {
    const url = (await closedPortUrl()).replace('http://', 'http://bob:s3cret-pw@');
    const sink = new MemorySink();
    const connector = connectorFor(spec('secret', url, { password: 'other-pw', username: 'carol' }), sink);
    connector.start();
    cleanups.push(() => connector.stop());
    const health = await sink.waitFor(() => sink.health('secret')?.state === 'offline' && sink.health('secret'), 3000, 'offline');
    assert.match(health.error ?? '', /ECONNREFUSED/);
    assert.match(health.error ?? '', /http:\/\/127\.0\.0\.1:\d+/, 'the error still names the agent');
    const event = sink.eventsOf('secret').find((e) => e.type === 'HUB_AGENT_HEALTH');
    assert.ok(event);
    for (const text of [health.error ?? '', JSON.stringify(event)]) {
      assert.doesNotMatch(text, /s3cret-pw|bob:/);
    }
  });

  test('a missing unix socket is offline too', async () => {
    const sink = new MemorySink();
    const connector = connectorFor(spec('nosock', 'unix:///nonexistent/fleetvisor-test.sock'), sink);
    connector.start();
    cleanups.push(() => connector.stop());
    const health = await sink.waitFor(() => sink.health('nosock')?.state === 'offline' && sink.health('nosock'), 3000, 'offline');
    assert.match(health.error ?? '', /ENOENT/);
  });

  test('an HTTP server answering UNKNOWN_METHOD to everything: incompatible', async () => {
    const server = await startUnknownMethodServer();
    cleanups.push(() => server.close());
    const sink = new MemorySink();
    const connector = connectorFor(spec('odd', server.url), sink);
    connector.start();
    cleanups.push(() => connector.stop());
    const health = await sink.waitFor(() => sink.health('odd')?.state === 'incompatible' && sink.health('odd'), 3000, 'incompatible');
    assert.match(health.error ?? '', /UNKNOWN_METHOD/);
    assert.ok(health.lastContact !== undefined, 'a fault is an answer: the agent was reached');
  });

  test('reconnect delays grow and stop at the cap', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    assert.deepEqual(Array.from({ length: 7 }, () => backoff.next()), [100, 200, 400, 800, 1000, 1000, 1000]);
    backoff.reset();
    assert.equal(backoff.next(), 100);
    const jittered = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
    for (let i = 0; i < 20; i++) {
      const delay = jittered.next();
      assert.ok(delay <= 1000 && delay >= 0, `delay ${delay}`);
    }
    assert.throws(() => new Backoff({ initialMs: 0 }), RangeError);
    assert.throws(() => new Backoff({ initialMs: 500, maxMs: 100 }), RangeError);
  });

  test('an agent that hangs up keeps being retried at the capped rate, not slower', async () => {
    const server = await startSilentServer(true);
    cleanups.push(() => server.close());
    const sink = new MemorySink();
    // uncapped, 10 ms doubling would make ~7 attempts in 800 ms; capped at 40 ms, about 20
    const connector = connectorFor(spec('flaky', server.url), sink, { initialMs: 10, maxMs: 40 });
    connector.start();
    await new Promise((resolve) => setTimeout(resolve, 800));
    await connector.stop();
    assert.ok(server.connections >= 12, `${server.connections} attempts`);
    assert.equal(connector.health.state, 'offline');
    assert.equal(sink.eventsOf('flaky').filter((e) => e.type === 'HUB_AGENT_HEALTH').length, 1, 'one health event, not one per attempt');
  });

  describe('with a fleetvisord that requires a password', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built' }, () => {
    let agent: TestAgent;
    test('a wrong password: auth_failed; the right one: online', async () => {
      agent = await startAgent('fleetvisord', '', 'username=hubuser\npassword=s3cret');
      cleanups.push(() => agent.dispose());
      const sink = new MemorySink();
      const wrong = connectorFor(agent.spec('locked', { username: 'hubuser', password: 'nope' }), sink);
      const right = connectorFor(agent.spec('open', { username: 'hubuser', password: 's3cret' }), sink);
      wrong.start();
      right.start();
      cleanups.push(() => wrong.stop(), () => right.stop());
      const locked = await sink.waitFor(() => sink.health('locked')?.state === 'auth_failed' && sink.health('locked'), 5000, 'auth_failed');
      assert.match(locked.error ?? '', /401/);
      await sink.waitFor(() => sink.health('open')?.state === 'online', 5000, 'online');
      assert.equal(sink.health('open')?.kind, 'fleetvisord');
    });
  });
});
