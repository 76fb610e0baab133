import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AgentCalls } from '../../hub/ops/agent-calls.js';
import type { Operation, ProgressEvent, TargetProgress } from '../../hub/ops/index.js';
import { fleetvisordAvailable } from '../hub-fleet/agents.js';
import { CALL_MS, startHealthServer, startOpsFixture, type OpsFixture } from './fleet-setup.js';

function targetsOf(events: readonly ProgressEvent[]): TargetProgress[] {
  return events.filter((event): event is TargetProgress => event.type === 'target');
}

function summary(events: readonly ProgressEvent[]): string[] {
  return targetsOf(events).map((event) => `${event.agent}/${event.namespec} ${event.status}`);
}

/** Index of the first seen event matching, or -1. */
function firstSeen(f: OpsFixture, agent: string, namespec: string, toState: string): number {
  return f.seen.findIndex((event) => event.agent === agent && event.namespec === namespec && event.toState === toState);
}

describe('fleet operations on three real agents', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built' }, () => {
  let f: OpsFixture;

  before(async () => {
    f = await startOpsFixture();
  });
  after(async () => {
    await f?.dispose();
  });

  test('selectors resolve across hosts, tags and groups', () => {
    const labels = (selectors: string[], action: 'restart' | 'update' = 'restart'): string[] =>
      f.service.resolve(selectors, action).map((target) => `${target.agent}/${target.namespec}`);

    assert.deepEqual(labels(['web']), ['h1/web', 'h2/web', 'h3/web']);
    assert.deepEqual(labels(['@eu/web']), ['h1/web', 'h2/web']);
    assert.deepEqual(labels(['@prod/pool:*', 'h2/pool:b']), ['h1/pool:a', 'h1/pool:b', 'h2/pool:b', 'h3/pool:a', 'h3/pool:b']);
    assert.deepEqual(labels(['h[!2]/*:[ab]']), ['h1/pool:a', 'h1/pool:b', 'h3/pool:a', 'h3/pool:b']);
    assert.deepEqual(labels(['h3/all']), ['h3/flaky', 'h3/pool:a', 'h3/pool:b', 'h3/web']);
    assert.deepEqual(labels(['h1/web', '*/web:web']), ['h1/web', 'h2/web', 'h3/web'], 'each target once, named as supervisorctl names it');
    assert.deepEqual(labels(['@eu/all', 'h3/pool:*'], 'update'), ['h1/all', 'h2/all', 'h3/pool']);

    assert.throws(() => f.service.resolve(['h*/a'], 'restart'), { code: 'FV_OPS_NO_MATCH', message: "selector 'h*/a': no process matches 'a' on h1, h2, h3" });
    assert.throws(() => f.service.resolve(['db*/web'], 'restart'), { code: 'FV_OPS_NO_MATCH', message: "selector 'db*/web': no agent is named like 'db*'" });
    assert.throws(() => f.service.resolve(['@asia/web'], 'restart'), { code: 'FV_OPS_NO_MATCH', message: "selector '@asia/web': no agent has a tag matching 'asia'" });
    assert.throws(() => f.service.resolve(['h1/pool:a/x'], 'restart'), { code: 'FV_OPS_BAD_SELECTOR' });
    assert.throws(() => f.service.resolve(['h1/pool:a'], 'update'), { code: 'FV_OPS_BAD_SELECTOR', message: /update applies whole groups/ });
  });

  test("a wait-stop's timeout comes from the program's stopwaitsecs, whichever form names it", async () => {
    const calls = new AgentCalls(f.fleet, CALL_MS);
    // web: stopwaitsecs=4; pool:a: supervisord's default 10.
    assert.equal(await calls.stopTimeoutMs('h1', 'web'), 4000 + CALL_MS);
    assert.equal(await calls.stopTimeoutMs('h1', 'web:web'), 4000 + CALL_MS);
    assert.equal(await calls.stopTimeoutMs('h1', 'pool:a'), 10_000 + CALL_MS);
  });

  test('a parallel restart of a group on every host restarts each process once', async () => {
    const before = new Map<string, number>();
    for (const agent of ['h1', 'h2', 'h3']) for (const ns of ['pool:a', 'pool:b']) before.set(`${agent}/${ns}`, await f.pid(agent, ns));

    const listeners = f.fleet.listenerCount('events');
    const op = f.service.start({ user: 'alice', action: 'restart', selectors: ['pool:*'], mode: 'parallel', parallel: 6, waitSeconds: 0.3 });
    let most = 0;
    op.events.subscribe(() => (most = Math.max(most, f.fleet.listenerCount('events'))));
    const done = await op.done;
    assert.equal(most, listeners + 1, 'six watched processes, one listener on the fleet');
    assert.equal(f.fleet.listenerCount('events'), listeners, 'and none left after');

    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.counts, { total: 6, ok: 6, failed: 0, skipped: 0 });
    const batches = op.events.history.filter((event) => event.type === 'batch');
    assert.equal(batches.length, 1, 'parallel = one batch');
    for (const result of targetsOf(op.events.history)) assert.equal(result.message, 'restarted, stayed RUNNING 0.3 s', `${result.agent}/${result.namespec}`);
    for (const [label, pid] of before) {
      const [agent, ns] = label.split('/');
      const now = await f.pid(agent, ns);
      assert.ok(now > 0 && now !== pid, `${label} has a new pid (${pid} → ${now})`);
    }

    const logged = f.service.get(op.id)!;
    assert.equal(logged.status, 'succeeded');
    assert.equal(logged.user, 'alice');
    assert.equal(logged.action, 'restart');
    assert.equal(logged.mode, 'parallel');
    assert.deepEqual(logged.selectors, ['pool:*']);
    assert.ok(logged.finished !== undefined && logged.finished >= logged.started);
    assert.deepEqual(logged.targets.map((t) => `${t.agent}/${t.process} ${t.result}`).sort(), [
      'h1/pool:a ok', 'h1/pool:b ok', 'h2/pool:a ok', 'h2/pool:b ok', 'h3/pool:a ok', 'h3/pool:b ok',
    ]);
  });

  test('a rolling restart with batch 1 goes host by host', async () => {
    f.clearSeen();
    const op = f.service.start({ user: 'bob', action: 'restart', selectors: ['web'], mode: 'rolling', batch: 1 });
    const done = await op.done;

    assert.equal(done.status, 'succeeded');
    assert.deepEqual(
      op.events.history.map((event) => (event.type === 'batch' ? `batch ${event.index}/${event.total} ${event.targets.join(',')}` : event.type === 'target' ? `${event.agent} ${event.status}` : event.status)),
      ['batch 1/3 h1/web', 'h1 ok', 'batch 2/3 h2/web', 'h2 ok', 'batch 3/3 h3/web', 'h3 ok', 'succeeded'],
    );
    // In the fleet's own event stream: each host is back RUNNING before the next one stops.
    const order = ['h1', 'h2', 'h3'].map((agent) => ({
      agent,
      stopping: firstSeen(f, agent, 'web', 'STOPPING'),
      running: firstSeen(f, agent, 'web', 'RUNNING'),
    }));
    for (const step of order) assert.ok(step.stopping >= 0 && step.running > step.stopping, `${step.agent} stopped then ran: ${JSON.stringify(f.seen)}`);
    assert.ok(order[0].running < order[1].stopping, 'h2 stops only after h1 runs again');
    assert.ok(order[1].running < order[2].stopping, 'h3 stops only after h2 runs again');
    // startsecs=1: each start took at least a second.
    for (const result of targetsOf(op.events.history)) assert.ok(result.ms >= 1000, `${result.agent} took ${result.ms} ms`);
  });

  test('a rolling restart stops at the first host whose program cannot start', async () => {
    const h3Pid = await f.pid('h3', 'flaky');
    const op = f.service.start({ user: 'bob', action: 'restart', selectors: ['flaky'], mode: 'rolling', batch: '1' });
    const done = await op.done;

    assert.equal(done.status, 'failed');
    assert.deepEqual(done.counts, { total: 3, ok: 1, failed: 1, skipped: 1 });
    assert.deepEqual(summary(op.events.history), ['h1/flaky ok', 'h2/flaky failed', 'h3/flaky skipped']);
    const [, h2, h3] = targetsOf(op.events.history);
    assert.match(h2.message, /^spawn error: Exited too quickly/);
    assert.equal(h3.message, 'not run: an earlier target failed');
    assert.equal(await f.pid('h3', 'flaky'), h3Pid, 'h3 was left alone');
    assert.equal(op.events.history.filter((event) => event.type === 'batch').length, 2, 'batch 3 never began');

    const logged = f.service.get(op.id)!;
    assert.equal(logged.status, 'failed');
    assert.deepEqual(logged.targets.map((t) => `${t.agent} ${t.result}`), ['h1 ok', 'h2 failed', 'h3 skipped']);
    assert.match(logged.targets[1].message, /spawn error/);
  });

  test('a parallel operation goes on past a failure unless told to stop', async () => {
    const op = f.service.start({ user: 'bob', action: 'start', selectors: ['flaky'], mode: 'parallel' });
    const done = await op.done;
    assert.equal(done.status, 'failed');
    assert.deepEqual(summary(op.events.history).sort(), ['h1/flaky ok', 'h2/flaky failed', 'h3/flaky ok']);
    assert.equal(targetsOf(op.events.history).find((t) => t.agent === 'h1')!.message, 'already started');
  });

  test('the health URL gates the next batch until it answers 2xx', async () => {
    const health = await startHealthServer(2);
    try {
      const op = f.service.start({ user: 'carol', action: 'restart', selectors: ['@eu/web'], mode: 'rolling', healthUrl: { web: health.url } });
      const done = await op.done;
      assert.equal(done.status, 'succeeded', JSON.stringify(op.events.history));
      assert.deepEqual(health.answered, [503, 503, 200, 200], 'h1 polled until healthy, h2 healthy at once');
      for (const result of targetsOf(op.events.history)) assert.equal(result.message, 'restarted, healthy');
    } finally {
      await health.close();
    }
  });

  test('a health URL that never turns healthy fails its target and stops the roll', async () => {
    const health = await startHealthServer(Infinity);
    try {
      const started = Date.now();
      const op = f.service.start({ user: 'carol', action: 'restart', selectors: ['@prod/web'], mode: 'rolling', healthUrl: health.url, healthTimeoutSeconds: 0.8 });
      const done = await op.done;
      assert.equal(done.status, 'failed');
      assert.deepEqual(summary(op.events.history), ['h1/web failed', 'h3/web skipped']);
      assert.match(targetsOf(op.events.history)[0].message, new RegExp(`^health ${health.url} not healthy within 0.8 s: HTTP 503$`));
      assert.ok(health.answered.length >= 2, `polled ${health.answered.length} times`);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await health.close();
    }
  });

  test('cancel skips what has not begun and is logged as cancelled', async () => {
    const op: Operation = f.service.start({ user: 'dave', action: 'restart', selectors: ['web'], mode: 'rolling', pauseSeconds: 30 });
    const firstResult = new Promise<number>((resolve) => op.events.subscribe((event) => event.type === 'target' && resolve(Date.now())));
    const resultAt = await firstResult;
    assert.equal(f.service.running().includes(op), true);
    assert.equal(f.service.cancel(op.id), true);
    const done = await op.done;
    assert.ok(Date.now() - resultAt < 1000, 'the pause was cut short');

    assert.equal(done.status, 'cancelled');
    assert.deepEqual(summary(op.events.history), ['h1/web ok', 'h2/web skipped', 'h3/web skipped']);
    assert.equal(targetsOf(op.events.history)[1].message, 'cancelled before it began');
    assert.equal(f.service.get(op.id)!.status, 'cancelled');
    assert.equal(f.service.cancel(op.id), false, 'nothing left to cancel');
  });

  test('cancel during a start lets the call finish and skips the checks after it', async () => {
    const op = f.service.start({ user: 'dave', action: 'restart', selectors: ['@eu/web'], mode: 'rolling', waitSeconds: 20 });
    // Cancel while h1's start is waiting out startsecs.
    await new Promise((resolve) => setTimeout(resolve, 300));
    op.cancel();
    const done = await op.done;
    assert.equal(done.status, 'cancelled');
    assert.deepEqual(summary(op.events.history), ['h1/web ok', 'h2/web skipped']);
    assert.equal(targetsOf(op.events.history)[0].message, 'restarted (checks cancelled)');
    await f.settle(['web'], 'RUNNING', ['h1']);
  });

  test('a stability window fails a process that leaves RUNNING in it', async () => {
    // pool:a is killed a moment after its restart: the window sees it go.
    const op = f.service.start({ user: 'erin', action: 'restart', selectors: ['h1/pool:a'], mode: 'rolling', waitSeconds: 3 });
    const onRunning = (agent: string, events: { process?: string; toState?: string }[]): void => {
      if (agent === 'h1' && events.some((e) => e.process === 'a' && e.toState === 'RUNNING')) {
        f.fleet.off('events', onRunning);
        void f.pid('h1', 'pool:a').then((pid) => process.kill(pid, 'SIGKILL'));
      }
    };
    f.fleet.on('events', onRunning);
    const done = await op.done;
    assert.equal(done.status, 'failed');
    assert.match(targetsOf(op.events.history)[0].message, /^left RUNNING within 3 s: EXITED/);
    assert.ok(targetsOf(op.events.history)[0].ms < 2500, 'failed as soon as it left');
    const restart = f.service.start({ user: 'erin', action: 'start', selectors: ['h1/pool:a'], mode: 'parallel' });
    assert.equal((await restart.done).status, 'succeeded');
  });

  test('signal, clear, stop and start report per target', async () => {
    const signalled = f.service.start({ user: 'erin', action: 'signal', signal: 'CONT', selectors: ['h1/pool:*'], mode: 'parallel' });
    await signalled.done;
    assert.deepEqual(summary(signalled.events.history).sort(), ['h1/pool:a ok', 'h1/pool:b ok']);
    assert.equal(f.service.get(signalled.id)!.action, 'signal CONT');

    const cleared = f.service.start({ user: 'erin', action: 'clear', selectors: ['h1/pool:a'], mode: 'parallel' });
    await cleared.done;
    assert.equal(targetsOf(cleared.events.history)[0].message, 'cleared');

    const stopped = f.service.start({ user: 'erin', action: 'stop', selectors: ['h3/pool:a'], mode: 'parallel' });
    await stopped.done;
    assert.equal(targetsOf(stopped.events.history)[0].message, 'stopped');
    await f.settle(['pool:a'], 'STOPPED', ['h3']);

    const again = f.service.start({ user: 'erin', action: 'stop', selectors: ['h3/pool:a'], mode: 'parallel' });
    assert.equal((await again.done).status, 'succeeded');
    assert.equal(targetsOf(again.events.history)[0].message, 'not running');

    const signalStopped = f.service.start({ user: 'erin', action: 'signal', signal: 'HUP', selectors: ['h3/pool:a'], mode: 'parallel' });
    assert.equal((await signalStopped.done).status, 'failed');
    assert.equal(targetsOf(signalStopped.events.history)[0].message, 'not running');

    const started = f.service.start({ user: 'erin', action: 'start', selectors: ['h3/pool:a'], mode: 'parallel' });
    await started.done;
    assert.equal(targetsOf(started.events.history)[0].message, 'started');

    // Rolling start of a process already RUNNING: nothing to wait for.
    const already = f.service.start({ user: 'erin', action: 'start', selectors: ['h3/pool:a'], mode: 'rolling' });
    assert.equal((await already.done).status, 'succeeded');
    const [result] = targetsOf(already.events.history);
    assert.equal(result.message, 'already started');
    assert.ok(result.ms < CALL_MS / 2, `took ${result.ms} ms`);
  });

  test('update rereads the config and adds a new group on the hosts selected', async () => {
    appendFileSync(join(f.agents.get('h1')!.dir, 'supervisord.conf'), '\n[program:extra]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    const op = f.service.start({ user: 'frank', action: 'update', selectors: ['h1/all', 'h2/nosuch'], mode: 'parallel' });
    const done = await op.done;
    assert.equal(done.status, 'failed');
    const [h1, h2] = targetsOf(op.events.history).sort((a, b) => a.agent.localeCompare(b.agent));
    assert.deepEqual([h1.namespec, h1.status, h1.message], ['all', 'ok', 'extra: added process group']);
    assert.deepEqual([h2.namespec, h2.status, h2.message], ['nosuch', 'failed', 'no such group: nosuch (No config updates to processes)']);
    const info = (await f.agents.get('h1')!.client.call('supervisor.getProcessInfo', ['extra'])) as { group: string };
    assert.equal(info.group, 'extra');
    const logged = f.service.get(op.id)!;
    assert.deepEqual(logged.targets.map((t) => [t.agent, t.process]).sort(), [['h1', undefined], ['h2', undefined]]);
  });

  test('progress can be followed late, by iteration, from the start', async () => {
    const op = f.service.start({ user: 'gina', action: 'clear', selectors: ['@prod/pool:a'], mode: 'rolling', batch: '50%' });
    await op.done;
    const seen: string[] = [];
    for await (const event of op.events) seen.push(event.type === 'target' ? `${event.agent} ${event.status}` : event.type);
    assert.deepEqual(seen, ['batch', 'h1 ok', 'batch', 'h3 ok', 'done']);
    assert.equal(f.service.live(op.id), op);
    assert.ok(f.service.list({ user: 'gina' }).some((record) => record.id === op.id && record.status === 'succeeded'));
  });
});
