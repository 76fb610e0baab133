/**
 * Three real fleetvisord agents (h1, h2, h3) followed by a real Fleet with
 * the in-memory sink, an operations log in an in-memory SQLite store, and
 * the service under test. `flaky` cannot start on h2 (it exits at once).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Fleet } from '../../hub/fleet/fleet.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import { makeNamespec } from '../../node-agent/api/namespec.js';
import { OperationsService } from '../../hub/ops/index.js';
import { HubStore } from '../../hub/store/index.js';
import type { HubEvent } from '../../hub/types.js';
import type { TestAgent } from '../hub-fleet/agents.js';
import { startAgents } from '../helpers/fleet.js';

export const CALL_MS = 3000;

const COMMON = `
[program:web]
command=/bin/sleep 1000
startsecs=1
stopwaitsecs=4
autorestart=false

[program:a]
command=/bin/sleep 1000
startsecs=0
autorestart=false

[program:b]
command=/bin/sleep 1000
startsecs=0
autorestart=false

[group:pool]
programs=a,b
`;

function flaky(broken: boolean): string {
  return `
[program:flaky]
command=${broken ? '/bin/sh -c "exit 3"' : '/bin/sleep 1000'}
startsecs=1
startretries=0
autorestart=false
`;
}

export const HOSTS = [
  { name: 'h1', tags: ['eu', 'prod'], broken: false },
  { name: 'h2', tags: ['eu'], broken: true },
  { name: 'h3', tags: ['us', 'prod'], broken: false },
] as const;

export interface OpsFixture {
  agents: Map<string, TestAgent>;
  sink: MemorySink;
  fleet: Fleet;
  store: HubStore;
  service: OperationsService;
  /** (agent, toState) of every process event the fleet emitted since the last `clearSeen()`. */
  seen: { agent: string; namespec: string; toState: string }[];
  clearSeen(): void;
  /** Resolves once every host's table shows every selected process in `state`. */
  settle(namespecs: string[], state: string, hosts?: readonly string[]): Promise<void>;
  pid(agent: string, namespec: string): Promise<number>;
  dispose(): Promise<void>;
}

export async function startOpsFixture(): Promise<OpsFixture> {
  const agents = await startAgents(HOSTS.map((host) => ({ name: host.name, programs: COMMON + flaky(host.broken) })));
  const sink = new MemorySink();
  const fleet = new Fleet({ sink, concurrency: 16, timeouts: { callMs: CALL_MS, longPollSeconds: 5 }, pollIntervalMs: 200, backoff: { initialMs: 100, maxMs: 400 } });
  for (const host of HOSTS) fleet.add(agents.get(host.name)!.spec(host.name, { tags: [...host.tags] }));
  const seen: OpsFixture['seen'] = [];
  fleet.on('events', (agent: string, events: HubEvent[]) => {
    for (const event of events) {
      if (event.toState !== undefined && event.process !== undefined) seen.push({ agent, namespec: makeNamespec(event.group ?? '', event.process), toState: event.toState });
    }
  });
  fleet.start();
  const store = HubStore.open(':memory:');
  const service = new OperationsService({ fleet, log: store.ops, callTimeoutMs: CALL_MS });

  const fixture: OpsFixture = {
    agents,
    sink,
    fleet,
    store,
    service,
    seen,
    clearSeen: () => void seen.splice(0),
    settle: async (namespecs, state, hosts = HOSTS.map((host) => host.name)) => {
      await sink.waitFor(
        () => hosts.every((agent) => namespecs.every((ns) => sink.row(agent, ns)?.state === state)),
        10_000,
        `${namespecs.join(',')} ${state} on ${hosts.join(',')}`,
      );
    },
    pid: async (agent, namespec) => ((await agents.get(agent)!.client.call('supervisor.getProcessInfo', [namespec])) as { pid: number }).pid,
    dispose: async () => {
      await service.close();
      // Agents first: Fleet.stop() otherwise waits out each long-poll in flight.
      await Promise.all([...agents.values()].map((agent) => agent.dispose()));
      await fleet.stop();
      store.close();
    },
  };
  try {
    // Autostart done everywhere (flaky gives up on h2) and seen by the hub.
    await fixture.settle(['web', 'pool:a', 'pool:b'], 'RUNNING');
    await fixture.settle(['flaky'], 'RUNNING', ['h1', 'h3']);
    await sink.waitFor(() => sink.row('h2', 'flaky')?.state === 'FATAL', 10_000, 'flaky FATAL on h2');
  } catch (err) {
    await fixture.dispose();
    throw err;
  }
  return fixture;
}

export interface HealthServer {
  url: string;
  /** Status codes answered so far, in order. */
  answered: number[];
  close(): Promise<void>;
}

/** Answers `failures` times with 503, then 200 (or 503 for ever when failures is Infinity). */
export async function startHealthServer(failures: number): Promise<HealthServer> {
  const answered: number[] = [];
  const server = http.createServer((req, res) => {
    const status = answered.length < failures ? 503 : 200;
    answered.push(status);
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(status === 200 ? 'ok' : 'not yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    answered,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
