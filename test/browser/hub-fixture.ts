/**
 * The real thing for the web view's browser tests: two real fleetvisord
 * agents (alpha, beta) on unix sockets, followed by a real fleetvisor-hub
 * run as its own process (test/helpers/fleet.ts), serving the built web view.
 * Users: admin (made at first start), plus an operator and a viewer made
 * through the API.
 */
import type { TestAgent } from '../hub-fleet/agents.js';
import { STANDARD_PROGRAMS, startFleet } from '../helpers/fleet.js';

export { apiLogin } from '../helpers/fleet.js';

export const ADMIN_PASSWORD = 'admin-pw-web-1';
export const OPERATOR = { name: 'olivia', password: 'operator-pw-1', role: 'operator' } as const;
export const VIEWER = { name: 'victor', password: 'viewer-pw-1', role: 'viewer' } as const;

/** web restarts quickly (startsecs=1); worker stays down when killed; chatty writes a line a second. */
export const PROGRAMS = STANDARD_PROGRAMS;

export const HOSTS = [
  { name: 'alpha', tags: ['eu', 'prod'] },
  { name: 'beta', tags: ['us', 'prod'] },
] as const;

export interface WebFixture {
  url: string;
  dir: string;
  agents: Map<string, TestAgent>;
  hubOutput(): string;
  stop(): Promise<void>;
}

export async function startWebFixture(): Promise<WebFixture> {
  const fleet = await startFleet({
    hosts: HOSTS.map((host) => ({ ...host, programs: PROGRAMS })),
    adminPassword: ADMIN_PASSWORD,
    hubSettings: ['long_poll = 5', 'call_timeout = 3'],
    users: [OPERATOR, VIEWER],
    ready: ({ processes }) => processes.length === HOSTS.length * 3 && processes.every((p) => p.state === 'RUNNING'),
  });
  return { url: fleet.hub.url, dir: fleet.dir, agents: fleet.agents, hubOutput: fleet.hub.output, stop: fleet.stop };
}
