import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Fleet } from '../../hub/fleet/fleet.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import type { HubEvent } from '../../hub/types.js';
import { fleetvisordAvailable, startAgent, startSilentServer, type TestAgent, type TestServer } from './agents.js';

const CALL_MS = 1500;

describe('fleet', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built' }, () => {
  let agent: TestAgent;
  const holes: TestServer[] = [];
  let sink: MemorySink;
  let fleet: Fleet;

  before(async () => {
    agent = await startAgent('fleetvisord', '[program:sleeper]\ncommand=/bin/sleep 1000\nstartsecs=0\nautorestart=false\n');
    sink = new MemorySink();
    fleet = new Fleet({
      sink,
      concurrency: 4,
      timeouts: { callMs: CALL_MS, longPollSeconds: 2 },
      pollIntervalMs: 200,
      backoff: { initialMs: 100, maxMs: 400 },
    });
    fleet.start();
  });
  after(async () => {
    await fleet?.stop();
    for (const hole of holes) await hole.close();
    await agent?.dispose();
  });

  /** Time from asking the agent to stop (then start) a process to the fleet emitting the event, ms. */
  async function toggleLatencies(times: number): Promise<number[]> {
    const latencies: number[] = [];
    for (let i = 0; i < times; i++) {
      for (const [method, state] of [
        ['supervisor.stopProcess', 'STOPPED'],
        ['supervisor.startProcess', 'RUNNING'],
      ] as const) {
        const seen = new Promise<number>((resolve) => {
          const onEvents = (name: string, events: HubEvent[]): void => {
            if (name === 'real' && events.some((e) => e.process === 'sleeper' && e.toState === state)) {
              fleet.off('events', onEvents);
              resolve(Date.now());
            }
          };
          fleet.on('events', onEvents);
        });
        const askedAt = Date.now();
        await agent.client.call(method, ['sleeper']);
        latencies.push((await seen) - askedAt);
      }
    }
    return latencies;
  }

  test('a black-holed agent times out and goes offline without delaying a real agent', async (t) => {
    fleet.add(agent.spec('real'));
    await sink.waitFor(() => sink.getCursor('real'), 5000, 'real agent subscribed');
    const baseline = await toggleLatencies(3);

    holes.push(await startSilentServer(), await startSilentServer());
    const addedAt = Date.now();
    fleet.add({ name: 'hole1', url: holes[0].url, tags: ['bad'], source: 'api' });
    fleet.add({ name: 'hole2', url: holes[1].url, tags: ['bad'], source: 'api' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(holes.every((hole) => hole.connections >= 1), 'the black holes hold calls');

    const withHoles = await toggleLatencies(3);
    const callStarted = Date.now();
    await fleet.get('real')!.call('supervisor.getState');
    const shortCallMs = Date.now() - callStarted;
    assert.ok(Date.now() - addedAt < CALL_MS, 'measured while the black-holed calls were still hanging');
    assert.equal(fleet.get('hole1')!.health.state, 'unknown');

    t.diagnostic(`event latency alone: ${baseline.join(', ')} ms; with two black holes: ${withHoles.join(', ')} ms; short call ${shortCallMs} ms`);
    const worst = (values: number[]): number => Math.max(...values);
    assert.ok(worst(withHoles) < 500, `event latency with black holes: ${withHoles.join(', ')} ms (alone: ${baseline.join(', ')} ms)`);
    assert.ok(worst(withHoles) < worst(baseline) + 200, `latency grew: ${withHoles.join(', ')} vs ${baseline.join(', ')} ms`);
    assert.ok(shortCallMs < 500, `a short call to the real agent took ${shortCallMs} ms`);

    for (const name of ['hole1', 'hole2']) {
      const health = await sink.waitFor(() => sink.health(name)?.state === 'offline' && sink.health(name), CALL_MS + 2000, `${name} offline`);
      assert.match(health.error ?? '', /timed out/);
    }
    assert.ok(Date.now() - addedAt >= CALL_MS, 'offline only after the call timeout');
    assert.deepEqual(
      sink.eventsOf('real').filter((e) => e.type === 'HUB_AGENT_HEALTH').map((e) => e.toState),
      ['online'],
      'the real agent never left online',
    );
  });

  test('agents are listed with their health, updated and removed at runtime', async () => {
    assert.deepEqual(fleet.agents().map((a) => a.name).sort(), ['hole1', 'hole2', 'real']);
    const states = Object.fromEntries(fleet.health().map((h) => [h.agent, h.state]));
    assert.equal(states.real, 'online');

    const changes: string[] = [];
    fleet.on('agents', (change, spec) => changes.push(`${change}:${spec.name}`));
    await fleet.remove('hole1');
    assert.equal(fleet.has('hole1'), false);
    assert.throws(() => fleet.add(agent.spec('real')), /already followed/);

    // hole2 now points at the real agent: it resumes and goes online
    await fleet.update(agent.spec('hole2', { source: 'api' }));
    await sink.waitFor(() => fleet.get('hole2')?.health.state === 'online', 5000, 'hole2 online after update');
    assert.deepEqual(changes, ['removed:hole1', 'updated:hole2']);
    await assert.rejects(fleet.remove('nope'), /no agent named/);

    const snapshots: string[] = [];
    fleet.on('snapshot', (name, rows, full) => snapshots.push(`${name}:${rows.length}:${full}`));
    await agent.client.call('supervisor.stopProcess', ['sleeper']);
    await sink.waitFor(() => fleet.snapshot('real')[0].state === 'STOPPED', 2000, 'STOPPED in the snapshot');
    assert.ok(snapshots.includes('real:1:false'), 'changed rows are emitted one by one');
  });
});
