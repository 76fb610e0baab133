/**
 * Scenario 0: what the runtimes themselves cost on this machine, measured in
 * the same run as the daemons so their figures can be read against it. In
 * the fleetvisord column: node (with the agent's flags) and a C program; in
 * the supervisord column: the python3 that runs supervisord.
 *
 *   - runtime RSS: the bare interpreter, idle;
 *   - HTTP stack RSS: the interpreter with the HTTP/XML-RPC server modules
 *     the daemon loads (node + fastify serving a route on a unix socket, as
 *     node-agent/http does; python3 + supervisor's http and xmlrpc modules);
 *   - spawn floor: 200 `/bin/sleep` started back to back by the cheapest
 *     code that can do it: a C loop over clone(CLONE_VM|CLONE_VFORK) + execve
 *     (what the agent's addon does per child, without any bookkeeping), and
 *     python's fork + execve loop (what supervisord does).
 *
 * No targets: these are the floors the daemons' targets sit on.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, type DaemonKind } from '../daemons.js';
import { sleep } from '../measure.js';
import { rssMiB } from '../proc.js';
import type { RunContext, SampleSink, Scenario } from '../scenario.js';
import { FLEET_SIZE } from './spawn.js';

const PYTHON = '/usr/bin/python3';
const NODE_FLAGS = ['--max-semi-space-size=1'];
const SETTLE_MS = 1500;

const NODE_HTTP_STACK = `
import fastify from 'fastify';
const noSchemas = { buildValidator: () => () => {}, buildSerializer: () => () => {} };
const app = fastify({ logger: false, schemaController: { compilersFactory: noSchemas } });
app.post('/RPC2', async () => 'ok');
await app.listen({ path: process.argv[1] });
setInterval(() => {}, 1 << 30);
`;

const PYTHON_HTTP_STACK = `
import sys, time
from supervisor import supervisord, http, rpcinterface, xmlrpc, options
time.sleep(3600)
`;

const PYTHON_SPAWN = `
import os, sys, time
n = int(sys.argv[1])
started = time.monotonic()
pids = []
for _ in range(n):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv('/bin/sleep', ['sleep', '1000'])
        finally:
            os._exit(127)
    pids.append(pid)
print('total=%.1f ms' % ((time.monotonic() - started) * 1000))
for pid in pids:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
`;

/** One POST from this process, so the child's request path has run once. */
function postOnce(socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: '/RPC2', method: 'POST' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end('x');
  });
}

/** Starts a long-running interpreter, waits for it to settle (after `poke`, if any), and reads its RSS. */
async function idleRss(command: string, args: string[], poke?: () => Promise<void>): Promise<number> {
  const child = spawn(command, args, { stdio: 'ignore', cwd: REPO_ROOT });
  try {
    await sleep(SETTLE_MS);
    if (poke) {
      await poke();
      await sleep(SETTLE_MS);
    }
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited early (${child.exitCode})`);
    return rssMiB(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

function runtimeRss(kind: DaemonKind): Promise<number> {
  return kind === 'fleetvisord'
    ? idleRss(process.execPath, [...NODE_FLAGS, '-e', 'setInterval(() => {}, 1 << 30)'])
    : idleRss(PYTHON, ['-c', 'import time; time.sleep(3600)']);
}

async function httpStackRss(kind: DaemonKind, dir: string): Promise<number> {
  if (kind === 'supervisord') return idleRss(PYTHON, ['-c', PYTHON_HTTP_STACK]);
  const socket = join(dir, 'http.sock');
  return idleRss(process.execPath, [...NODE_FLAGS, '--input-type=module', '-e', NODE_HTTP_STACK, socket], () => postOnce(socket));
}

let spawnProgram: string | null | undefined;

/** native/experiments/spawn-methods.c built once; null when no C compiler is installed. */
function cSpawnProgram(dir: string): string | null {
  if (spawnProgram !== undefined) return spawnProgram;
  const out = join(dir, 'spawn-methods');
  const built = spawnSync('cc', ['-O2', '-pthread', join(REPO_ROOT, 'native', 'experiments', 'spawn-methods.c'), '-o', out]);
  spawnProgram = built.status === 0 ? out : null;
  return spawnProgram;
}

function spawnFloorSeconds(kind: DaemonKind, dir: string, ctx: RunContext): number | undefined {
  let output: string;
  if (kind === 'fleetvisord') {
    const program = cSpawnProgram(dir);
    if (!program) {
      ctx.log('no C compiler (cc): spawn floor not measured');
      return undefined;
    }
    output = execFileSync(program, ['clone_vfork', String(FLEET_SIZE), '0', '1'], { encoding: 'utf8' });
  } else {
    output = execFileSync(PYTHON, ['-c', PYTHON_SPAWN, String(FLEET_SIZE)], { encoding: 'utf8' });
  }
  const ms = Number(/total=(\d+(?:\.\d+)?) ms/.exec(output)?.[1]);
  if (!Number.isFinite(ms)) throw new Error(`spawn floor: no timing in ${JSON.stringify(output)}`);
  return ms / 1000;
}

export const floorsScenario: Scenario = {
  id: 'floors',
  title: 'Runtime floors on this machine (no daemon)',
  method:
    'fleetvisord column: node with the agent\'s flags; supervisord column: /usr/bin/python3. Runtime RSS: the bare interpreter idle ' +
    `(VmRSS after ${SETTLE_MS / 1000} s). HTTP stack RSS: node + fastify listening on a unix socket after one request (the agent's HTTP ` +
    'layer with nothing behind it), python3 with supervisor\'s supervisord/http/xmlrpc/rpcinterface modules imported. Spawn floor: ' +
    `${FLEET_SIZE} \`/bin/sleep\` started back to back by a C loop over clone(CLONE_VM|CLONE_VFORK) + execve (native/experiments/spawn-methods.c; ` +
    'what the agent\'s addon does per child, minus all bookkeeping) and by a python3 os.fork + os.execv loop (supervisord\'s way); ' +
    'the spawn targets above cannot be lower than this. No targets: reference figures.',
  metrics: [
    { id: 'runtime', label: 'runtime RSS', unit: 'MiB', better: 'lower' },
    { id: 'http', label: 'runtime + HTTP stack RSS', unit: 'MiB', better: 'lower' },
    { id: 'spawn', label: `spawn floor, ${FLEET_SIZE} × /bin/sleep`, unit: 's', better: 'lower' },
  ],
  timeoutMs: 120_000,
  async run(kind: DaemonKind, ctx: RunContext, samples: SampleSink): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'fv-bench-floors-'));
    try {
      samples.add('runtime', await runtimeRss(kind));
      samples.add('http', await httpStackRss(kind, dir));
      for (let round = 0; round < ctx.pick(3, 1); round++) {
        const seconds = spawnFloorSeconds(kind, dir, ctx);
        if (seconds !== undefined) samples.add('spawn', seconds);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
