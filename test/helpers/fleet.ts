/**
 * A real fleet for the end-to-end fixtures and benches: real agents
 * (fleetvisord or supervisord, see test/hub-fleet/agents.ts) followed by one
 * real fleetvisor-hub child process (test/hub-integration/hub-process.ts)
 * from a hub.ini in a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type AgentKindUnderTest, type TestAgent } from '../hub-fleet/agents.js';
import { startHubProcess, type HubProcess } from '../hub-integration/hub-process.js';

/** web restarts quickly (startsecs=1); worker stays down when killed; chatty writes a line a second to stdout and stderr. */
export const STANDARD_PROGRAMS = `
[program:web]
command=/bin/sleep 1000
startsecs=1
autorestart=false

[program:worker]
command=/bin/sleep 1000
startsecs=0
autorestart=false

[program:chatty]
command=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo "chatty line $i"; echo "chatty warning $i" >&2; sleep 1; done'
startsecs=0
autorestart=false
`;

export interface FleetHost {
  name: string;
  /** fleetvisord unless said. */
  kind?: AgentKindUnderTest;
  tags?: readonly string[];
  /** Config text after the agent's standard sections (see startAgent). */
  programs: string;
}

/** An agent section of hub.ini. */
export interface HubMember {
  name: string;
  url: string;
  tags?: readonly string[];
}

/** What the ready checks read of GET /api/v1/processes. */
export interface ProcessesAnswer {
  processes: { agent: string; name: string; state: string }[];
  hosts: { online: number };
}

export interface FleetOptions {
  hosts: readonly FleetHost[];
  adminPassword: string;
  /** Lines for the [hub] section besides listen and data_dir. */
  hubSettings?: readonly string[];
  /** Made through the API by the admin once the hub listens. */
  users?: readonly { name: string; password: string; role: string }[];
  /** startFleet resolves once this holds of the hub's process list. */
  ready(answer: ProcessesAnswer): boolean;
}

export interface RealFleet {
  /** Holds hub.ini and the hub's data dir (`data`). */
  dir: string;
  agents: Map<string, TestAgent>;
  hub: HubProcess;
  adminToken: string;
  /** Stops the hub and the agents and removes the temp dirs (kept with FLEETVISOR_KEEP_TMP=1). */
  stop(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<RealFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'fv-fleet-'));
  let agents = new Map<string, TestAgent>();
  let hub: HubProcess | undefined;
  const stop = async (): Promise<void> => {
    await hub?.stop(5000);
    await Promise.all([...agents.values()].map((agent) => agent.dispose()));
    if (process.env.FLEETVISOR_KEEP_TMP !== '1') rmSync(dir, { recursive: true, force: true });
  };
  try {
    agents = await startAgents(options.hosts);
    const members = options.hosts.map((host) => ({ ...host, url: agents.get(host.name)!.url }));
    hub = await startHubFollowing(dir, members, options.adminPassword, options.hubSettings);
    const adminToken = await apiLogin(hub.url, 'admin', options.adminPassword);
    for (const user of options.users ?? []) {
      const answer = await fetch(`${hub.url}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(user) });
      if (answer.status !== 201 && answer.status !== 200) throw new Error(`creating ${user.name}: ${answer.status} ${await answer.text()}`);
    }
    await waitForProcesses(hub.url, adminToken, options.ready);
    return { dir, agents, hub, adminToken, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One agent per host, started together; if any fails, those that started are disposed of. */
export async function startAgents(hosts: readonly FleetHost[]): Promise<Map<string, TestAgent>> {
  const started = await Promise.allSettled(hosts.map((host) => startAgent(host.kind ?? 'fleetvisord', host.programs)));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.dispose() : undefined)));
    throw failed.reason;
  }
  return new Map(hosts.map((host, i) => [host.name, (started[i] as PromiseFulfilledResult<TestAgent>).value]));
}

/** Writes `dir`/hub.ini (listening on a free loopback port, data in `dir`/data) and starts the hub on it. */
export function startHubFollowing(dir: string, members: readonly HubMember[], adminPassword: string, settings: readonly string[] = []): Promise<HubProcess> {
  const ini = join(dir, 'hub.ini');
  const agentSections = members.flatMap((member) => [`[agent:${member.name}]`, `url = ${member.url}`, ...(member.tags ? [`tags = ${member.tags.join(', ')}`] : []), '']);
  writeFileSync(ini, ['[hub]', 'listen = 127.0.0.1:0', `data_dir = ${join(dir, 'data')}`, ...settings, '', ...agentSections].join('\n'));
  return startHubProcess(ini, { FLEETVISOR_ADMIN_PASSWORD: adminPassword });
}

export async function apiLogin(url: string, username: string, password: string): Promise<string> {
  const answer = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (answer.status !== 200) throw new Error(`login ${username}: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { token: string }).token;
}

/** Polls GET /api/v1/processes until `ready` holds of it. */
export async function waitForProcesses(url: string, token: string, ready: (answer: ProcessesAnswer) => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const answer = await fetch(`${url}/api/v1/processes`, { headers: { authorization: `Bearer ${token}` } });
    last = await answer.json();
    if (answer.ok && ready(last as ProcessesAnswer)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the hub's process list never got ready within ${timeoutMs / 1000} s; last answer: ${JSON.stringify(last).slice(0, 500)}`);
}
