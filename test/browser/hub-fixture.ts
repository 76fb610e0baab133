/**
 * The real thing for the web view's browser tests: two real fleetvisord
 * agents (alpha, beta) on unix sockets, followed by a real fleetvisor-hub
 * run as its own process (dist/hub/main.js when built, else hub/main.ts
 * through tsx) from a hub.ini in a temp dir, serving the built web view.
 * Users: admin (made at first start), plus an operator and a viewer made
 * through the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type TestAgent } from '../hub-fleet/agents.js';
import { REPO_ROOT } from '../helpers/kinds.js';
import { freePort } from '../helpers/raw-http.js';

export const ADMIN_PASSWORD = 'admin-pw-web-1';
export const OPERATOR = { name: 'olivia', password: 'operator-pw-1', role: 'operator' } as const;
export const VIEWER = { name: 'victor', password: 'viewer-pw-1', role: 'viewer' } as const;

/** web restarts quickly (startsecs=1); worker stays down when killed; chatty writes a line a second. */
export const PROGRAMS = `
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

function hubCommand(): [string, string[]] {
  const built = join(REPO_ROOT, 'dist', 'hub', 'main.js');
  if (existsSync(built)) return [process.execPath, [built]];
  return [process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'hub', 'main.ts')]];
}

export async function startWebFixture(): Promise<WebFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'fv-web-'));
  const agents = new Map<string, TestAgent>();
  const started = await Promise.all(HOSTS.map(() => startAgent('fleetvisord', PROGRAMS)));
  HOSTS.forEach((host, i) => agents.set(host.name, started[i]!));
  const port = await freePort();
  const ini = [
    '[hub]',
    `listen = 127.0.0.1:${port}`,
    `data_dir = ${join(dir, 'data')}`,
    'long_poll = 5',
    'call_timeout = 3',
    '',
    ...HOSTS.flatMap((host) => [`[agent:${host.name}]`, `url = ${agents.get(host.name)!.url}`, `tags = ${host.tags.join(', ')}`, '']),
  ].join('\n');
  writeFileSync(join(dir, 'hub.ini'), ini);
  const [cmd, args] = hubCommand();
  let output = '';
  const hub: ChildProcess = spawn(cmd, [...args, '-c', join(dir, 'hub.ini')], {
    cwd: dir,
    env: { ...process.env, FLEETVISOR_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  hub.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => hub.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (hub.exitCode === null && hub.signalCode === null) {
      hub.kill('SIGTERM');
      const timer = setTimeout(() => hub.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await Promise.all([...agents.values()].map((agent) => agent.dispose()));
    if (process.env.FLEETVISOR_KEEP_TMP !== '1') rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForHub(url, exited, () => output);
    const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
    for (const user of [OPERATOR, VIEWER]) {
      const answer = await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(user) });
      if (answer.status !== 201 && answer.status !== 200) throw new Error(`creating ${user.name}: ${answer.status} ${await answer.text()}`);
    }
    await waitForProcesses(url, admin, HOSTS.length * 3);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dir, agents, hubOutput: () => output, stop };
}

async function waitForHub(url: string, exited: Promise<void>, output: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const answer = await fetch(`${url}/healthz`);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    if (gone) throw new Error(`fleetvisor-hub exited:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`fleetvisor-hub did not answer within 20 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function apiLogin(url: string, username: string, password: string): Promise<string> {
  const answer = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (answer.status !== 200) throw new Error(`login ${username}: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { token: string }).token;
}

/** Waits until the hub lists `count` processes, all RUNNING. */
async function waitForProcesses(url: string, token: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    const answer = await fetch(`${url}/api/v1/processes`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as { processes?: { state: string }[] };
    const processes = body.processes ?? [];
    last = JSON.stringify(body).slice(0, 400);
    if (processes.length === count && processes.every((p) => p.state === 'RUNNING')) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the hub never listed ${count} RUNNING processes; last answer: ${last}`);
}
