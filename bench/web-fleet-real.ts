/**
 * The real fleet behind the web view's benchmark: `real` fleetvisord agents
 * (each with `perHost` /bin/sleep programs) and a real fleetvisor-hub whose
 * hub.ini has `hosts` [agent:NAME] sections, host i pointing at real agent
 * i mod real. The hub follows every name as its own agent (its own
 * subscription, its own 20 rows), so it holds hosts × perHost live rows.
 *
 * State changes are real: StateChanger calls supervisor.stopProcess and
 * supervisor.startProcess (wait=false) on the real agents, alternating stop
 * and start of the same program, at the rate that makes the hub see `rate`
 * process state changes a second once each real change is multiplied by the
 * names that point at its agent (every call yields two state events:
 * STOPPING+STOPPED or STARTING+RUNNING).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type TestAgent } from '../test/hub-fleet/agents.js';
import { startHubProcess, type HubProcess } from '../test/hub-integration/hub-process.js';

export const ADMIN_PASSWORD = 'bench-web-fleet-pw';
/** State events one stopProcess or startProcess call produces on its agent. */
const EVENTS_PER_CALL = 2;

export interface RealFleetOptions {
  hosts: number;
  perHost: number;
  real: number;
}

export interface RealFleet {
  url: string;
  /** A bearer token of the admin, for the bench's own API calls. */
  token: string;
  agents: TestAgent[];
  /** How many hub names point at real agent `index`. */
  aliasesOf(index: number): number;
  close(): Promise<void>;
}

export const hostName = (i: number): string => `host${String(i).padStart(3, '0')}`;
export const programName = (i: number): string => `p${String(i).padStart(2, '0')}`;

function programs(count: number): string {
  return Array.from({ length: count }, (_, i) => `[program:${programName(i)}]\ncommand=/bin/sleep 100000\nstartsecs=0\nautorestart=false\nstopwaitsecs=2\n`).join('\n');
}

export async function startRealFleet(options: RealFleetOptions): Promise<RealFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'fv-bench-web-fleet-'));
  const agents: TestAgent[] = [];
  let hub: HubProcess | undefined;
  const close = async (): Promise<void> => {
    await hub?.stop();
    await Promise.all(agents.map((agent) => agent.dispose()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const config = programs(options.perHost);
    for (let i = 0; i < options.real; i++) agents.push(await startAgent('fleetvisord', config));
    const sections = ['[hub]', 'listen = 127.0.0.1:0', `data_dir = ${join(dir, 'data')}`, ''];
    for (let h = 0; h < options.hosts; h++) {
      sections.push(`[agent:${hostName(h)}]`, `url = ${agents[h % options.real]!.url}`, `tags = bench, ${h % 2 === 0 ? 'even' : 'odd'}`, '');
    }
    writeFileSync(join(dir, 'hub.ini'), sections.join('\n'));
    hub = await startHubProcess(join(dir, 'hub.ini'), { FLEETVISOR_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const login = await fetch(`${hub.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    await waitForFleet(hub.url, token, options.hosts * options.perHost, options.hosts);
    return {
      url: hub.url,
      token,
      agents,
      aliasesOf: (index) => Math.floor(options.hosts / options.real) + (index < options.hosts % options.real ? 1 : 0),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Waits until the hub holds every row RUNNING and every host online. */
export async function waitForFleet(url: string, token: string, rows: number, hosts: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const answer = await fetch(`${url}/api/v1/processes?state=RUNNING`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as { processes: unknown[]; hosts: { online: number } };
    last = `${body.processes.length} RUNNING rows, ${body.hosts.online} hosts online`;
    if (body.processes.length === rows && body.hosts.online === hosts) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the hub never held the whole fleet: ${last}`);
}

export interface ChangerStats {
  calls: number;
  faults: number;
  /** State changes the hub should see: each call's two events times the names on its agent. */
  expectedHubChanges: number;
  seconds: number;
}

/** Drives real stop/start calls on the real agents; see the file's header for the rate. */
export class StateChanger {
  readonly #fleet: RealFleet;
  readonly #perHost: number;
  readonly #callsPerSecond: number;
  #timer: NodeJS.Timeout | undefined;
  #since = 0;
  #stoppedAt = 0;
  #made = 0;
  #next = 0;
  #faults = 0;
  #expected = 0;
  readonly #pending = new Set<Promise<void>>();

  constructor(fleet: RealFleet, perHost: number, hubChangesPerSecond: number) {
    this.#fleet = fleet;
    this.#perHost = perHost;
    const meanAliases = fleet.agents.reduce((sum, _, i) => sum + fleet.aliasesOf(i), 0) / fleet.agents.length;
    this.#callsPerSecond = hubChangesPerSecond / (EVENTS_PER_CALL * meanAliases);
  }

  get callsPerSecond(): number {
    return this.#callsPerSecond;
  }

  start(): void {
    this.#since = Date.now();
    this.#made = 0;
    this.#faults = 0;
    this.#expected = 0;
    // Calls due by the clock since start, so a late timer catches up instead of lowering the rate.
    this.#timer = setInterval(() => {
      const due = Math.floor(((Date.now() - this.#since) / 1000) * this.#callsPerSecond) - this.#made;
      for (let n = 0; n < due; n++) this.#call();
    }, 20);
  }

  /** Stops making calls and waits for those in flight. */
  async stop(): Promise<ChangerStats> {
    clearInterval(this.#timer);
    this.#stoppedAt = Date.now();
    await Promise.all(this.#pending);
    return { calls: this.#made, faults: this.#faults, expectedHubChanges: this.#expected, seconds: (this.#stoppedAt - this.#since) / 1000 };
  }

  /** Call k stops (k even) or starts again (k odd) program k/2 of the real agents, taken round robin. */
  #call(): void {
    const k = this.#next++;
    this.#made++;
    const pair = Math.floor(k / 2);
    const agentIndex = pair % this.#fleet.agents.length;
    const program = programName(Math.floor(pair / this.#fleet.agents.length) % this.#perHost);
    const method = k % 2 === 0 ? 'supervisor.stopProcess' : 'supervisor.startProcess';
    this.#expected += EVENTS_PER_CALL * this.#fleet.aliasesOf(agentIndex);
    const call = this.#fleet.agents[agentIndex]!.client.call(method, [program, false]).then(
      () => undefined,
      () => {
        this.#faults++;
      },
    );
    this.#pending.add(call);
    void call.finally(() => this.#pending.delete(call));
  }
}
