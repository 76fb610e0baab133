import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProcessInfo } from '../../node-agent/api/types.js';
import { Fleet } from '../../hub/fleet/fleet.js';
import { HubStore } from '../../hub/store/index.js';
import type { HubEvent, ProcessSnapshot } from '../../hub/types.js';
import { startAgent, type TestAgent } from './agents.js';
import { StoreSink } from '../../hub/sink.js';

const POLL_MS = 200;
const AGENT = 's';

const PROGRAMS = `
[program:victim]
command=/bin/sh -c 'echo victim-out-line; exec /bin/sleep 1000'
startsecs=0
autorestart=false

[program:phoenix]
command=/bin/sleep 1000
startsecs=0
autorestart=true

[program:steady]
command=/bin/sleep 1000
startsecs=0
autorestart=false
`;

/** One life of the hub: the store file opened, a fleet following the agent; stop() is the hub going down. */
interface HubRun {
  store: HubStore;
  fleet: Fleet;
  startedAt: number;
  stop(): Promise<number>;
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a hub restarted while a supervisord it polls moved on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-hubfleet-restart-'));
  const dbPath = join(dir, 'hub.sqlite');
  let agent: TestAgent;
  let current: HubRun | undefined;

  /** Starts a hub life and waits until its first table is in (the connector's in-memory table fills only then). */
  async function startHub(): Promise<HubRun> {
    await current?.stop();
    const startedAt = Date.now();
    const store = HubStore.open(dbPath);
    const fleet = new Fleet({
      sink: new StoreSink(store),
      timeouts: { callMs: 2000, longPollSeconds: 2 },
      pollIntervalMs: POLL_MS,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    fleet.add(agent.spec(AGENT));
    fleet.start();
    await until(() => fleet.snapshot(AGENT).length === 3, 'first table');
    const run: HubRun = {
      store,
      fleet,
      startedAt,
      stop: async () => {
        await fleet.stop();
        store.close();
        current = undefined;
        return Date.now();
      },
    };
    current = run;
    return run;
  }

  function eventsSince(store: HubStore, since: number): HubEvent[] {
    return store.history.query({ hosts: [AGENT], since, order: 'asc', limit: 1000 }).events;
  }

  function storedRows(store: HubStore): Map<string, ProcessSnapshot> {
    return new Map(store.snapshot.list({ hosts: [AGENT] }).map((row) => [row.name, row]));
  }

  async function agentInfo(name: string): Promise<ProcessInfo> {
    return (await agent.client.call('supervisor.getProcessInfo', [name])) as unknown as ProcessInfo;
  }

  before(async () => {
    agent = await startAgent('supervisord', PROGRAMS);
    // The very first life has nothing stored: a plain snapshot, as before.
    const first = await startHub();
    await until(() => [...storedRows(first.store).values()].every((row) => row.state === 'RUNNING') || undefined, 'all RUNNING');
    assert.deepEqual(
      eventsSince(first.store, 0).map((e) => e.type),
      ['HUB_AGENT_HEALTH'],
      'a store that knew nothing of the agent: no gap, no events',
    );
    await first.stop();
  });
  after(async () => {
    await current?.stop();
    await agent?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('nothing changed while it was down: nothing but the health change is recorded', async () => {
    const hub = await startHub();
    const before = storedRows(hub.store);
    // A few more polls: still nothing.
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    assert.deepEqual(
      eventsSince(hub.store, hub.startedAt).map((e) => `${e.type}:${e.toState ?? ''}`),
      ['HUB_AGENT_HEALTH:online'],
    );
    assert.deepEqual(storedRows(hub.store), before, 'the stored table is untouched (rows keep their `updated`)');
    await hub.stop();
  });

  test('a child that died and one restarted while it was down: a gap marker, then one observed event each', async () => {
    const watching = await startHub();
    const old = storedRows(watching.store);
    const steadyBefore = old.get('steady')!;
    // supervisord copies output to the log in its own loop: kill only once the line is in the log.
    await until(async () => ((await agent.client.call('supervisor.tailProcessStdoutLog', ['victim', 0, 1000])) as [string])[0].includes('victim-out-line'), 'victim output logged');
    const stoppedAt = await watching.stop();

    const victimPid = old.get('victim')!.pid;
    const phoenixPid = old.get('phoenix')!.pid;
    process.kill(victimPid, 'SIGKILL');
    await agent.client.call('supervisor.stopProcess', ['phoenix']);
    await agent.client.call('supervisor.startProcess', ['phoenix']);
    const victimNow = await until(async () => {
      const info = await agentInfo('victim');
      return info.statename === 'EXITED' && info;
    }, 'victim EXITED');
    const phoenixNow = await agentInfo('phoenix');
    assert.equal(phoenixNow.statename, 'RUNNING');
    assert.notEqual(phoenixNow.pid, phoenixPid);

    const hub = await startHub();
    const events = eventsSince(hub.store, hub.startedAt);
    assert.deepEqual(
      events.slice(0, 2).map((e) => e.type),
      ['HUB_AGENT_HEALTH', 'HUB_GAP'],
      'the gap marker comes before what was observed',
    );
    assert.deepEqual(events.slice(2).map((e) => `${e.type}:${e.process}`).sort(), ['PROCESS_STATE_EXITED:victim', 'PROCESS_STATE_RUNNING:phoenix']);
    const gap = events[1];
    const exited = events.find((e) => e.process === 'victim')!;
    const restarted = events.find((e) => e.process === 'phoenix')!;
    const details = JSON.parse(gap.payload!) as Record<string, unknown>;
    const boot = `pid:${agent.pid}`;
    assert.equal(details.reason, 'not_watching');
    assert.equal(details.previousBoot, boot);
    assert.equal(details.boot, boot);
    assert.equal(gap.boot, boot);
    assert.equal(gap.observed, false);
    assert.equal(typeof details.since, 'number');
    assert.ok((details.since as number) >= watching.startedAt && (details.since as number) <= stoppedAt, 'since: the last contact the stopped hub recorded');
    assert.equal(details.until, gap.time);
    assert.ok(gap.time >= hub.startedAt && gap.time <= Date.now());

    assert.equal(exited.observed, true);
    assert.equal(exited.serial, null);
    assert.equal(exited.fromState, 'RUNNING');
    assert.equal(exited.toState, 'EXITED');
    assert.equal(exited.pid, victimPid);
    assert.equal(exited.exitStatus, victimNow.exitstatus);
    assert.equal(exited.time, gap.time);
    assert.match(exited.crashStdout ?? '', /victim-out-line/);

    assert.equal(restarted.observed, true);
    assert.equal(restarted.fromState, 'RUNNING');
    assert.equal(restarted.toState, 'RUNNING');
    assert.equal(restarted.pid, phoenixNow.pid);
    assert.deepEqual(JSON.parse(restarted.payload!), { note: 'restarted while the hub was not watching', previousPid: phoenixPid });

    const rows = storedRows(hub.store);
    assert.equal(rows.get('victim')!.state, 'EXITED');
    assert.equal(rows.get('victim')!.pid, 0);
    assert.equal(rows.get('phoenix')!.state, 'RUNNING');
    assert.equal(rows.get('phoenix')!.pid, phoenixNow.pid);
    assert.deepEqual(rows.get('steady'), steadyBefore, 'an unchanged row is left as it was');
    const live = new Map(hub.fleet.snapshot(AGENT).map((row) => [row.name, row]));
    assert.equal(live.get('victim')!.state, 'EXITED');
    assert.equal(live.get('phoenix')!.pid, phoenixNow.pid);

    // The next polls find nothing new.
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    assert.equal(eventsSince(hub.store, hub.startedAt).length, 4);
    await hub.stop();
  });

  test('supervisord itself restarted while it was down: a boot_changed gap and a resync, no per-process guesses', async () => {
    const oldBoot = `pid:${agent.pid}`;
    await agent.restart();
    for (const name of ['victim', 'phoenix', 'steady']) await until(async () => (await agentInfo(name)).statename === 'RUNNING', `${name} RUNNING`);
    const hub = await startHub();
    const events = eventsSince(hub.store, hub.startedAt);
    assert.deepEqual(
      events.map((e) => e.type),
      ['HUB_AGENT_HEALTH', 'HUB_GAP', 'HUB_RESYNC'],
    );
    const details = JSON.parse(events[1].payload!) as Record<string, unknown>;
    assert.equal(details.reason, 'boot_changed');
    assert.equal(details.previousBoot, oldBoot);
    assert.equal(details.boot, `pid:${agent.pid}`);
    assert.equal(typeof details.since, 'number');
    assert.equal(details.until, events[1].time);
    assert.deepEqual(JSON.parse(events[2].payload!), { processes: 3 });
    const rows = storedRows(hub.store);
    for (const name of ['victim', 'phoenix', 'steady']) {
      const info = await agentInfo(name);
      assert.equal(rows.get(name)!.state, info.statename);
      assert.equal(rows.get(name)!.pid, info.pid);
    }
    await hub.stop();
  });
});
