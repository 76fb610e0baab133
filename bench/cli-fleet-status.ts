/**
 * Fleet status of 100 hosts × 20 processes: `fleetvisorctl --hub URL status`
 * against a real fleetvisor-hub, side by side with looping the real
 * supervisorctl over as many hosts.
 *
 *   node --import tsx bench/cli-fleet-status.ts [--hosts 100] [--procs 20] [--real 10] [--runs 5]
 *
 * Two shared cores cannot run 100 daemons with 2,000 children, so `--real`
 * real fleetvisord agents are started and the hub follows each of them
 * under hosts/real names (hub.ini has `hosts` [agent:NAME] sections, host
 * i pointing at real agent i mod real): the hub really follows 100 agents
 * and holds 100 × 20 process rows, each refreshed from a live daemon. The
 * supervisorctl side starts `--real` real supervisord with the same 20
 * programs and runs `supervisorctl -s unix://… status` once per host, one
 * after the other (each real supervisord asked hosts/real times), which is
 * what a shell loop over 100 hosts does. Target (issue 5): ≤ 1 s.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, REPO, type TestAgent } from '../test/hub-fleet/agents.js';
import { startHubProcess, type HubProcess } from '../test/hub-integration/hub-process.js';

interface Options {
  hosts: number;
  procs: number;
  real: number;
  runs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { hosts: 100, procs: 20, real: 10, runs: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1) throw new Error(`usage: cli-fleet-status.ts [--hosts N] [--procs N] [--real N] [--runs N] (bad ${argv[i]})`);
    options[key] = value;
  }
  options.real = Math.min(options.real, options.hosts);
  return options;
}

const PASSWORD = 'bench-cli-fleet-pw';
const CLI = join(REPO, 'bin', 'fleetvisorctl.js');
const SUPERVISORCTL = '/usr/bin/supervisorctl';

function programs(count: number): string {
  return Array.from({ length: count }, (_, i) => `[program:p${String(i).padStart(2, '0')}]\ncommand=/bin/sleep 100000\nstartsecs=0\nautorestart=false\n`).join('\n');
}

const hostName = (i: number): string => `host${String(i).padStart(3, '0')}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function waitForFleet(url: string, token: string, rows: number, hosts: number): Promise<void> {
  const deadline = Date.now() + 120_000;
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

function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { ms: number; stdout: string; status: number | null } {
  const began = performance.now();
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - began;
  if (result.error) throw result.error;
  return { ms, stdout: result.stdout, status: result.status };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js')) || !existsSync(join(REPO, 'dist', 'node-agent', 'main.js'))) {
    throw new Error('build first: npx tsc -p .');
  }
  const dir = mkdtempSync(join(tmpdir(), 'fv-bench-cli-fleet-'));
  const fleetvisords: TestAgent[] = [];
  const supervisords: TestAgent[] = [];
  let hub: HubProcess | undefined;
  try {
    const config = programs(options.procs);
    for (let i = 0; i < options.real; i++) fleetvisords.push(await startAgent('fleetvisord', config));
    for (let i = 0; i < options.real; i++) supervisords.push(await startAgent('supervisord', config));
    const ini = join(dir, 'hub.ini');
    const sections = ['[hub]', 'listen = 127.0.0.1:0', `data_dir = ${join(dir, 'data')}`, ''];
    for (let h = 0; h < options.hosts; h++) {
      sections.push(`[agent:${hostName(h)}]`, `url = ${fleetvisords[h % options.real].url}`, `tags = bench, ${h % 2 === 0 ? 'even' : 'odd'}`, '');
    }
    writeFileSync(ini, sections.join('\n'));
    hub = await startHubProcess(ini, { FLEETVISOR_ADMIN_PASSWORD: PASSWORD });
    const login = await fetch(`${hub.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    await waitForFleet(hub.url, token, options.hosts * options.procs, options.hosts);

    const env = { ...process.env, FLEETVISOR_TOKEN: token, NO_COLOR: '1' };
    const cli = (args: string[]) => timed(process.execPath, [CLI, '--hub', hub!.url, ...args], env);
    cli(['status']); // warm the page cache
    const text: number[] = [];
    const json: number[] = [];
    let lines = 0;
    let rows = 0;
    for (let r = 0; r < options.runs; r++) {
      const t = cli(['status']);
      text.push(t.ms);
      lines = t.stdout.trimEnd().split('\n').length;
      const j = cli(['--json', 'status']);
      json.push(j.ms);
      rows = (JSON.parse(j.stdout) as { processes: unknown[] }).processes.length;
    }
    if (rows !== options.hosts * options.procs) throw new Error(`fleetvisorctl --json status listed ${rows} rows, expected ${options.hosts * options.procs}`);

    const loops: number[] = [];
    const loopRuns = Math.min(options.runs, 2);
    let supervisorctlRows = 0;
    for (let r = 0; r < loopRuns; r++) {
      const began = performance.now();
      supervisorctlRows = 0;
      for (let h = 0; h < options.hosts; h++) {
        const agent = supervisords[h % options.real];
        const t = timed(SUPERVISORCTL, ['-s', agent.url, 'status']);
        supervisorctlRows += t.stdout.trimEnd().split('\n').length;
      }
      loops.push(performance.now() - began);
    }

    const fmt = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
    const setup = `${options.hosts} hosts × ${options.procs} processes; the hub follows ${options.hosts} agents backed by ${options.real} real fleetvisord (each followed under ${options.hosts / options.real} names); supervisorctl loops over ${options.hosts} hosts backed by ${options.real} real supervisord`;
    console.log(`# fleet status, ${setup}\n`);
    console.log('| command | runs | median | min | max | output |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(`| fleetvisorctl --hub URL status | ${text.length} | ${fmt(median(text))} | ${fmt(Math.min(...text))} | ${fmt(Math.max(...text))} | ${lines} lines |`);
    console.log(`| fleetvisorctl --hub URL --json status | ${json.length} | ${fmt(median(json))} | ${fmt(Math.min(...json))} | ${fmt(Math.max(...json))} | ${rows} rows |`);
    console.log(`| for each of ${options.hosts} hosts: supervisorctl -s URL status | ${loops.length} | ${fmt(median(loops))} | ${fmt(Math.min(...loops))} | ${fmt(Math.max(...loops))} | ${supervisorctlRows} lines |`);
    console.log(`\ntarget ≤ 1 s for fleet status: ${median(text) <= 1000 ? 'met' : 'NOT met'} (median ${fmt(median(text))}); ${(median(loops) / median(text)).toFixed(0)}× faster than the supervisorctl loop`);
  } finally {
    await hub?.stop();
    await Promise.all([...fleetvisords, ...supervisords].map((agent) => agent.dispose()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
