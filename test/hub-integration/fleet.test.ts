/**
 * The hub's done-when scenario, end to end: three fleetvisord and two real
 * supervisord on loopback unix sockets, one hub as a child process
 * (`node dist/hub/main.js -c hub.ini`), driven through its API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAgent, startSilentServer, type TestAgent, type TestServer } from '../hub-fleet/agents.js';
import { api, eventually, login, SseReader } from '../hub-api/helpers.js';
import { startHubProcess, type HubProcess } from './hub-process.js';

const PASSWORD = 'integration-pw';
const POLL_MS = 1000;

/** `victim` stays EXITED when killed (a quick autorestart would hide the exit between two polls of a supervisord); `noise` keeps events flowing until {dir}/quiet exists; `app` cannot start once {dir}/broken exists. */
const PROGRAMS = `
[program:victim]
command=/bin/sleep 1000
startsecs=0
autorestart=false

[program:app]
command=/bin/sh -c 'test -e {dir}/broken && exit 3; exec /bin/sleep 1000'
startsecs=1
startretries=0
autorestart=false

[program:noise]
command=/bin/sh -c 'test -e {dir}/quiet && exec /bin/sleep 100000; /bin/sleep 0.1'
startsecs=0
autorestart=true
`;

const FLEETVISORDS = ['h1', 'h2', 'h3'] as const;
const SUPERVISORDS = ['s1', 's2'] as const;
const HOSTS = [...FLEETVISORDS, ...SUPERVISORDS];

interface StoredEvent {
  id: number;
  agent: string;
  boot: string;
  serial: number | null;
  time: number;
  type: string;
  process?: string;
  toState?: string;
  pid?: number;
  payload?: string;
}

describe('fleetvisor-hub with a live fleet (integration)', { timeout: 120_000 }, () => {
  const agents = new Map<string, TestAgent>();
  let blackHole: TestServer;
  let dir: string;
  let ini: string;
  let hub: HubProcess;
  let auth: { token: string };

  const writeIni = (withBlackHole: boolean): void => {
    const sections = [
      '[hub]',
      'listen = 127.0.0.1:0',
      `data_dir = ${join(dir, 'data')}`,
      `poll_interval = ${POLL_MS}ms`,
      'long_poll = 5',
      'call_timeout = 2s',
      ...HOSTS.flatMap((name) => [`[agent:${name}]`, `url = ${agents.get(name)!.url}`, `tags = ${FLEETVISORDS.includes(name as never) ? 'rolling' : 'plain'}`]),
      ...(withBlackHole ? ['[agent:blackhole]', `url = ${blackHole.url}`] : []),
    ];
    writeFileSync(ini, `${sections.join('\n')}\n`);
  };
  const start = async (): Promise<void> => {
    hub = await startHubProcess(ini, { FLEETVISOR_ADMIN_PASSWORD: PASSWORD });
    auth = { token: (await login(hub.url, 'admin', PASSWORD)).token };
  };
  const get = async (path: string): Promise<any> => {
    const answer = await api(hub.url, 'GET', path, { auth });
    assert.equal(answer.status, 200, `${path}: ${answer.text}`);
    return answer.body;
  };
  const allEvents = async (query: string): Promise<StoredEvent[]> => {
    const events: StoredEvent[] = [];
    let next: string | undefined;
    do {
      const page = await get(`/api/v1/events?${query}&order=asc&limit=10000${next ? `&after=${next}` : ''}`);
      events.push(...page.events);
      next = page.next;
    } while (next !== undefined);
    return events;
  };
  const agentRing = async (name: string): Promise<{ boot: string; events: Array<{ serial: number; type: string }> }> => {
    const answer = (await agents.get(name)!.client.call('fleetvisor.getEvents', ['', 0, 10000])) as any;
    return { boot: answer.boot, events: answer.events };
  };
  const latencies = async (): Promise<number[]> => {
    const samples: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const name of ['h1', 'h2', 's1']) {
        const began = performance.now();
        // Either form of the namespec, against fleetvisord and plain supervisord alike.
        await get(`/api/v1/processes/${name}/${round % 2 === 0 ? 'victim:victim' : 'victim'}/log?bytes=200`);
        samples.push(performance.now() - began);
      }
    }
    return samples.sort((a, b) => a - b);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fv-hubint-'));
    ini = join(dir, 'hub.ini');
    blackHole = await startSilentServer();
    const started = await Promise.all(HOSTS.map((name) => startAgent(FLEETVISORDS.includes(name as never) ? 'fleetvisord' : 'supervisord', PROGRAMS)));
    HOSTS.forEach((name, i) => agents.set(name, started[i]));
    writeIni(false);
    await start();
  });
  after(async () => {
    await hub?.kill();
    await Promise.all([...agents.values()].map((agent) => agent.dispose()));
    await blackHole?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let latencyBefore: number[] = [];

  it('lists every process of every host in the snapshot', async () => {
    const snapshot = await eventually(async () => {
      const body = await get('/api/v1/processes');
      return body.processes.length === HOSTS.length * 3 && body.hosts.online === HOSTS.length ? body : undefined;
    }, 15_000, 'every process of every host');
    for (const host of HOSTS) {
      const names = snapshot.processes.filter((p: any) => p.agent === host).map((p: any) => p.namespec);
      assert.deepEqual(names, ['app', 'noise', 'victim'], host);
    }
    const kinds = (await get('/api/v1/agents')).map((a: any) => `${a.name}:${a.health.kind}`);
    assert.deepEqual(kinds, ['h1:fleetvisord', 'h2:fleetvisord', 'h3:fleetvisord', 's1:supervisord', 's2:supervisord']);
    latencyBefore = await latencies();
  });

  it('records a killed child within 1 s (subscribed) and within one poll interval (polled)', async () => {
    for (const [host, limitMs] of [['h1', 1000], ['s1', POLL_MS + 300]] as const) {
      const stream = await SseReader.open(`${hub.url}/api/v1/stream?host=${host}&process=victim&kind=hub-event`, auth);
      const victim = (await get(`/api/v1/processes?host=${host}&name=victim`)).processes[0];
      assert.equal(victim.state, 'RUNNING');
      const began = performance.now();
      process.kill(victim.pid, 'SIGKILL');
      const exited = await stream.waitFor((m) => m.data.toState === 'EXITED' && m.data.pid === victim.pid, limitMs + 2000, `${host} victim EXITED`);
      const elapsed = performance.now() - began;
      stream.close();
      assert.ok(elapsed < limitMs, `${host}: the exit reached the history after ${Math.round(elapsed)} ms (limit ${limitMs})`);
      assert.equal(exited.data.observed, host === 's1');
      const stored = (await get(`/api/v1/events?host=${host}&process=victim&state=EXITED`)).events;
      assert.ok(stored.some((event: StoredEvent) => event.id === exited.data.id && event.pid === victim.pid));
    }
  });

  it('loses and duplicates nothing when the hub is SIGKILLed mid-stream and restarted', async () => {
    // `noise` restarts about five times a second on every fleetvisord: events are always in flight.
    await eventually(async () => (await get('/api/v1/events?host=h*&process=noise&limit=200')).events.length >= 60, 10_000, 'noise flowing');
    await hub.kill();
    await new Promise((resolve) => setTimeout(resolve, 500)); // events pile up in the agents' rings meanwhile
    writeIni(true);
    await start();
    for (const name of FLEETVISORDS) writeFileSync(join(agents.get(name)!.dir, 'quiet'), '');
    for (const name of FLEETVISORDS) {
      // Once noise is quiet, the ring only grows by ticks; compare up to what the ring held when asked.
      await eventually(async () => (await get(`/api/v1/processes?host=${name}&name=noise`)).processes[0]?.description.startsWith('pid'), 10_000, `${name} noise quiet`);
      const ring = await agentRing(name);
      const last = ring.events.at(-1)!.serial;
      const stored = await eventually(async () => {
        const events = (await allEvents(`host=${name}`)).filter((event) => event.serial !== null && event.boot === ring.boot);
        return events.some((event) => event.serial! >= last) ? events.filter((event) => event.serial! <= last) : undefined;
      }, 10_000, `${name} caught up to serial ${last}`);
      const serials = stored.map((event) => event.serial!).sort((a, b) => a - b);
      assert.equal(new Set(serials).size, serials.length, `${name}: duplicate serials`);
      assert.deepEqual(serials, Array.from({ length: serials.length }, (_, i) => serials[0] + i), `${name}: a serial is missing`);
      const first = ring.events[0].serial;
      assert.ok(serials[0] <= first, `${name}: the hub lacks the ring's first events`);
      const storedTypes = new Map(stored.map((event) => [event.serial!, event.type]));
      assert.deepEqual(
        ring.events.map((event) => `${event.serial}:${storedTypes.get(event.serial)}`),
        ring.events.map((event) => `${event.serial}:${event.type}`),
        `${name}: stored events differ from the agent's`,
      );
      assert.ok(ring.events.length > 50, `${name}: only ${ring.events.length} events: the test did not stream`);
    }
  });

  it('records an agent restart: offline, online, and the gap', async () => {
    const began = Date.now();
    await agents.get('h3')!.restart();
    const events = await eventually(async () => {
      const found = await allEvents(`host=h3&type=HUB&since=${began - 1}`);
      const types = found.map((event) => `${event.type}:${event.toState ?? ''}`);
      const online = types.lastIndexOf('HUB_AGENT_HEALTH:online');
      return types.includes('HUB_AGENT_HEALTH:offline') && types.includes('HUB_GAP:') && online > types.indexOf('HUB_AGENT_HEALTH:offline') ? found : undefined;
    }, 15_000, 'h3 offline, online and a gap');
    const gap = events.find((event) => event.type === 'HUB_GAP')!;
    assert.equal(JSON.parse(gap.payload!).reason, 'boot_changed');
    assert.ok(events.some((event) => event.type === 'HUB_RESYNC'));
    await eventually(async () => (await get('/api/v1/processes?host=h3&state=RUNNING')).processes.length === 3, 10_000, 'h3 running again');
  });

  it('runs a rolling restart host by host, and stops at the first host whose program cannot start', async () => {
    const since = Date.now() - 1;
    const ok = await api(hub.url, 'POST', '/api/v1/operations', { auth, body: { action: 'restart', selectors: ['@rolling/app'], mode: 'rolling', batch: 1 } });
    assert.equal(ok.status, 202, ok.text);
    assert.equal(ok.body.batches, 3);
    const progress = await SseReader.open(`${hub.url}/api/v1/operations/${ok.body.id}/events`, auth);
    await progress.untilEnded(30_000);
    assert.equal(progress.messages.at(-1)!.data.status, 'succeeded');
    const appEvents = async (from: number): Promise<StoredEvent[]> => (await allEvents(`host=h*&process=app&type=PROCESS_STATE&since=${from}`)).sort((a, b) => a.time - b.time || a.id - b.id);
    const order = (await appEvents(since)).map((event) => event.agent);
    // Host by host: every event of h1's restart before h2's, h2's before h3's.
    assert.deepEqual([...new Set(order)], ['h1', 'h2', 'h3']);
    assert.deepEqual(order, [...order].sort(), `events interleave: ${order.join(' ')}`);
    for (const host of ['h1', 'h2', 'h3']) assert.deepEqual((await appEvents(since)).filter((e) => e.agent === host).map((e) => e.toState), ['STOPPING', 'STOPPED', 'STARTING', 'RUNNING']);

    writeFileSync(join(agents.get('h2')!.dir, 'broken'), '');
    const second = Date.now() - 1;
    const failing = await api(hub.url, 'POST', '/api/v1/operations', { auth, body: { action: 'restart', selectors: ['@rolling/app'], mode: 'rolling', batch: 1 } });
    const followed = await SseReader.open(`${hub.url}/api/v1/operations/${failing.body.id}/events`, auth);
    await followed.untilEnded(30_000);
    const results = followed.messages.filter((m) => m.event === 'target').map((m) => `${m.data.agent}:${m.data.status}`);
    assert.deepEqual(results, ['h1:ok', 'h2:failed', 'h3:skipped']);
    assert.equal(followed.messages.at(-1)!.data.status, 'failed');
    const touched = new Set((await appEvents(second)).map((event) => event.agent));
    assert.deepEqual([...touched].sort(), ['h1', 'h2'], 'h3 must not be touched after h2 failed');
    const record = await get(`/api/v1/operations/${failing.body.id}`);
    assert.deepEqual(record.targets.map((r: any) => r.result), ['ok', 'failed', 'skipped']);
  });

  it("leaves the other agents' latency unchanged with a black-holed agent in hub.ini", async () => {
    const blackHoleHealth = await eventually(async () => {
      const found = (await get('/api/v1/agents')).find((agent: any) => agent.name === 'blackhole');
      return found?.health.state === 'offline' ? found.health : undefined;
    }, 10_000, 'the black hole seen offline');
    assert.match(blackHoleHealth.error, /time/i);
    assert.ok(blackHole.connections > 0);
    const latencyAfter = await latencies();
    const median = (samples: number[]): number => samples[Math.floor(samples.length / 2)];
    const worst = latencyAfter.at(-1)!;
    // A call stuck behind the black hole would wait out its 2 s call timeout.
    assert.ok(worst < 1000, `slowest call ${Math.round(worst)} ms with the black hole`);
    assert.ok(median(latencyAfter) < Math.max(3 * median(latencyBefore), median(latencyBefore) + 100), `median ${median(latencyBefore)} → ${median(latencyAfter)} ms`);
    for (const agent of (await get('/api/v1/agents')).filter((a: any) => a.name !== 'blackhole')) {
      assert.equal(agent.health.state, 'online', agent.name);
      assert.ok(agent.health.latencyMs < 500, `${agent.name} latency ${agent.health.latencyMs} ms`);
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.equal(await hub.stop(), 0);
  });
});
