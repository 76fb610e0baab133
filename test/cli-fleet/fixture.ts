/**
 * A real fleet for fleetvisorctl's fleet mode: two fleetvisord (alpha,
 * beta) and one real supervisord (gamma) on unix sockets in temp dirs,
 * followed by a real fleetvisor-hub child process; fleetvisorctl runs as a
 * child process too (bundled from the current sources, see
 * test/cli/harness.ts) with HOME and XDG_CONFIG_HOME in a temp dir.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fleetvisorctlCommand } from '../cli/harness.js';
import type { AgentKindUnderTest, TestAgent } from '../hub-fleet/agents.js';
import { STANDARD_PROGRAMS, startFleet } from '../helpers/fleet.js';

export const ADMIN_PASSWORD = 'cli-fleet-admin-pw';

/** web and worker run; chatty writes a line a second to stdout and stderr; crashy exits 3 once at start (a crash with saved lines). */
export const PROGRAMS = `${STANDARD_PROGRAMS}
[program:crashy]
command=/bin/sh -c 'echo "crashy starting"; echo "crashy: cannot open database" >&2; sleep 0.5; exit 3'
startsecs=0
autorestart=false
`;

export const HOSTS: readonly { name: string; kind: AgentKindUnderTest; tags: string[] }[] = [
  { name: 'alpha', kind: 'fleetvisord', tags: ['eu', 'prod'] },
  { name: 'beta', kind: 'fleetvisord', tags: ['us', 'prod'] },
  { name: 'gamma', kind: 'supervisord', tags: ['eu'] },
];

export interface CtlResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface FleetFixture {
  hubUrl: string;
  dir: string;
  /** HOME and XDG_CONFIG_HOME of the CLI runs. */
  home: string;
  adminToken: string;
  agents: Map<string, TestAgent>;
  /** Runs fleetvisorctl to the end; `env` adds to (or, with undefined values, removes from) the base environment. */
  ctl(args: readonly string[], options?: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number }): Promise<CtlResult>;
  /** Starts fleetvisorctl and hands back the child, for streams. */
  spawnCtl(args: readonly string[], env?: Record<string, string | undefined>): Promise<ReturnType<typeof spawn>>;
  stop(): Promise<void>;
}

export async function startFleetFixture(): Promise<FleetFixture> {
  const command = await fleetvisorctlCommand();
  const fleet = await startFleet({
    hosts: HOSTS.map((host) => ({ ...host, programs: PROGRAMS })),
    adminPassword: ADMIN_PASSWORD,
    hubSettings: ['poll_interval = 300ms', 'long_poll = 5', 'call_timeout = 3s'],
    // Every host online, web, worker and chatty running everywhere and crashy crashed.
    ready: ({ processes, hosts }) =>
      hosts.online === HOSTS.length && processes.filter((p) => (p.name === 'crashy' ? p.state === 'EXITED' : p.state === 'RUNNING')).length === HOSTS.length * 4,
  });
  const { dir } = fleet;
  const home = join(dir, 'home');
  mkdirSync(home);
  const baseEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' };
    for (const key of ['FLEETVISOR_HUB', 'FLEETVISOR_TOKEN']) delete env[key];
    for (const [key, value] of Object.entries(extra)) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    return env;
  };
  const spawnCtl = async (args: readonly string[], env?: Record<string, string | undefined>) =>
    spawn(command[0], [...command.slice(1), ...args], { cwd: dir, env: baseEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  const ctl: FleetFixture['ctl'] = async (args, options = {}) => {
    const child = await spawnCtl(args, options.env);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin!.end(options.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', (status) => resolve(status)));
    clearTimeout(timer);
    return { stdout, stderr, code };
  };
  return { hubUrl: fleet.hub.url, dir, home, adminToken: fleet.adminToken, agents: fleet.agents, ctl, spawnCtl, stop: fleet.stop };
}

/** Reads a child's stdout until `pattern` matches (or throws after `ms`). */
export function waitForOutput(child: ReturnType<typeof spawn>, pattern: RegExp, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('close', onClose);
      reject(new Error(`no ${pattern}: ${why}; got: ${text.slice(-500)}`));
    };
    const timer = setTimeout(() => fail(`not within ${ms} ms`), ms);
    const onClose = (code: number | null): void => fail(`fleetvisorctl exited (${code})`);
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('close', onClose);
        resolve(text);
      }
    };
    child.stdout!.on('data', onData);
    child.once('close', onClose);
  });
}
