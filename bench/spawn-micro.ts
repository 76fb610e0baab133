/**
 * Micro-benchmark: how long does the daemon take to start one child?
 * Each method starts N `sleep 1000` children (new session, stdio pipes, the
 * daemon's environment) back to back; only the spawning is timed, the
 * children are killed and reaped after each run.
 *
 *   node --import tsx bench/spawn-micro.ts [--n 100] [--rounds 3] [--only name,name] [--program static]
 *
 * --program static runs a static, libc-free child (native/experiments/idle-static.c)
 * instead of /bin/sleep: what is left is the cost of spawning itself.
 *
 * Methods:
 *   node-spawn        child_process.spawn as launch.ts uses it (libuv fork+exec)
 *   native            the addon's clone(CLONE_VM|CLONE_VFORK), parent fds only
 *   native+streams    spawnFast(): the addon plus net.Socket streams per fd
 *   native-2-threads  the addon from the main thread and a worker thread at once
 *   helper            a long-lived C spawner process (posix_spawn), requests pipelined
 *   c:*               reference C programs (native/experiments/spawn-methods.c)
 *
 * Not a test: prints ms per spawn. The target is 200 children in ≤ 0.5 s.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nativeSpawnAddon, spawnFast, type SpawnedChild } from '../node-agent/process/fast-spawn.js';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const N = Number(flag('n', '100'));
const ROUNDS = Number(flag('rounds', '3'));
const ONLY = flag('only', '').split(',').filter(Boolean);
const PROGRAM = flag('program', 'sleep');
let CHILD_PROGRAM = '/bin/sleep';
const ENV = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
const ENV_LIST = Object.entries(ENV).map(([k, v]) => `${k}=${v}`);
const EXPERIMENTS = fileURLToPath(new URL('../native/experiments/', import.meta.url));

/** Spawns N children, returns the ms it took and a function that kills and reaps them. */
type Method = () => Promise<{ ms: number; cleanup: () => Promise<void> }>;

const nodeSpawn: Method = async () => {
  const children: ChildProcess[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    children.push(spawn(CHILD_PROGRAM, ['1000'], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'], detached: true }));
  }
  const ms = performance.now() - t0;
  return {
    ms,
    cleanup: async () => {
      await Promise.all(
        children.map((c) => {
          const gone = new Promise((resolve) => c.once('exit', resolve));
          c.kill('SIGKILL');
          c.stdin?.destroy();
          c.stdout?.destroy();
          c.stderr?.destroy();
          return gone;
        }),
      );
    },
  };
};

const nativeRaw: Method = async () => {
  const native = nativeSpawnAddon();
  if (!native) throw new Error('addon not built');
  let exited = 0;
  let allExited: () => void = () => {};
  const done = new Promise<void>((resolve) => (allExited = resolve));
  const onExit = () => {
    exited += 1;
    if (exited === N) allExited();
  };
  const started: { pid: number; fds: number[] }[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const r = native.spawn({ file: CHILD_PROGRAM, argv: ['sleep', '1000'], env: ENV_LIST, mergeStderr: false }, onExit);
    started.push({ pid: r.pid, fds: [r.stdinFd, r.stdoutFd, r.stderrFd] });
  }
  const ms = performance.now() - t0;
  return {
    ms,
    cleanup: async () => {
      for (const s of started) {
        native.kill(s.pid, 9, false);
        s.fds.forEach((fd) => closeSync(fd));
      }
      await done;
    },
  };
};

const nativeStreams: Method = async () => {
  const children: SpawnedChild[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const r = spawnFast({ file: CHILD_PROGRAM, argv: ['sleep', '1000'], env: ENV });
    if (r.kind !== 'started') throw new Error('spawn failed');
    children.push(r.child);
  }
  const ms = performance.now() - t0;
  return {
    ms,
    cleanup: async () => {
      await Promise.all(
        children.map((c) => {
          const gone = new Promise((resolve) => c.once('exit', resolve));
          c.kill(9);
          c.stdin.destroy();
          c.stdout.destroy();
          c.stderr?.destroy();
          return gone;
        }),
      );
    },
  };
};

/** A worker that spawns its half when the shared flag flips, then reports the absolute time it finished. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
process.emitWarning = () => {}; // closing the addon's fds with fs.closeSync warns in workers
const native = require(workerData.addonPath);
const flag = new Int32Array(workerData.flag);
const started = [];
let exited = 0;
parentPort.on('message', () => {
  for (const s of started) { native.kill(s.pid, 9, false); s.fds.forEach((fd) => fs.closeSync(fd)); }
});
const onExit = () => { exited += 1; if (exited === workerData.count) parentPort.postMessage({ reaped: true }); };
parentPort.postMessage({ ready: true });
Atomics.wait(flag, 0, 0);
for (let i = 0; i < workerData.count; i++) {
  const r = native.spawn({ file: workerData.file, argv: ['sleep', '1000'], env: workerData.env, mergeStderr: false }, onExit);
  started.push({ pid: r.pid, fds: [r.stdinFd, r.stdoutFd, r.stderrFd] });
}
parentPort.postMessage({ endedAt: performance.timeOrigin + performance.now() });
`;

const nativeTwoThreads: Method = async () => {
  const native = nativeSpawnAddon();
  if (!native) throw new Error('addon not built');
  const half = Math.floor(N / 2);
  const flagBuffer = new SharedArrayBuffer(4);
  const addonPath = fileURLToPath(new URL('../native/build/Release/fleetvisor_spawn.node', import.meta.url));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { addonPath, flag: flagBuffer, count: half, file: CHILD_PROGRAM, env: ENV_LIST },
  });
  const messages: { ready?: boolean; endedAt?: number; reaped?: boolean }[] = [];
  let wake: () => void = () => {};
  worker.on('message', (m) => {
    messages.push(m);
    wake();
  });
  const next = async (key: 'ready' | 'endedAt' | 'reaped') => {
    while (!messages.some((m) => m[key] !== undefined)) await new Promise<void>((resolve) => (wake = resolve));
    return messages.find((m) => m[key] !== undefined)!;
  };
  await next('ready');

  const mine: { pid: number; fds: number[] }[] = [];
  let exited = 0;
  let allExited: () => void = () => {};
  const done = new Promise<void>((resolve) => (allExited = resolve));
  const onExit = () => {
    exited += 1;
    if (exited === N - half) allExited();
  };
  const startedAt = performance.timeOrigin + performance.now();
  Atomics.store(new Int32Array(flagBuffer), 0, 1);
  Atomics.notify(new Int32Array(flagBuffer), 0);
  for (let i = 0; i < N - half; i++) {
    const r = native.spawn({ file: CHILD_PROGRAM, argv: ['sleep', '1000'], env: ENV_LIST, mergeStderr: false }, onExit);
    mine.push({ pid: r.pid, fds: [r.stdinFd, r.stdoutFd, r.stderrFd] });
  }
  const mainEndedAt = performance.timeOrigin + performance.now();
  const workerEndedAt = (await next('endedAt')).endedAt!;
  return {
    ms: Math.max(mainEndedAt, workerEndedAt) - startedAt,
    cleanup: async () => {
      worker.postMessage('kill');
      for (const s of mine) {
        native.kill(s.pid, 9, false);
        s.fds.forEach((fd) => closeSync(fd));
      }
      await Promise.all([done, next('reaped')]);
      await worker.terminate();
    },
  };
};

function compile(source: string, dir: string): string {
  const out = join(dir, source.replace(/\.c$/, ''));
  const flags = source === 'idle-static.c' ? ['-static', '-nostdlib'] : ['-pthread'];
  execFileSync('cc', ['-O2', ...flags, join(EXPERIMENTS, source), '-o', out], { stdio: 'inherit' });
  return out;
}

function helperMethod(helperPath: string): Method {
  return async () => {
    const helper = spawn(helperPath, [], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...ENV, PROGRAM: CHILD_PROGRAM } });
    const lines = createInterface({ input: helper.stdout! });
    const pids: number[] = [];
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    lines.on('line', (line) => {
      pids.push(Number(line));
      if (pids.length === N) resolveAll();
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the helper start
    const t0 = performance.now();
    helper.stdin!.write('spawn\n'.repeat(N));
    await all;
    const ms = performance.now() - t0;
    return {
      ms,
      cleanup: async () => {
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        const gone = new Promise((resolve) => helper.once('exit', resolve));
        helper.stdin!.end();
        await gone;
      },
    };
  };
}

/** Runs a C reference program; its own output line carries the timing. */
function cMethod(binary: string, args: string[]): Method {
  return async () => {
    const out = execFileSync(binary, args, { encoding: 'utf8', env: { ...ENV, PROGRAM: CHILD_PROGRAM } });
    const ms = Number(/total=(\d+(?:\.\d+)?) ms/.exec(out)?.[1] ?? NaN);
    return { ms, cleanup: async () => {} };
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'fv-spawn-bench-'));
  try {
    if (PROGRAM === 'static') CHILD_PROGRAM = compile('idle-static.c', work);
    const methods: [string, Method][] = [['node-spawn', nodeSpawn]];
    if (nativeSpawnAddon()) {
      methods.push(['native', nativeRaw], ['native+streams', nativeStreams], ['native-2-threads', nativeTwoThreads]);
    } else {
      console.log('(addon not built: native methods skipped; see native/README.md)');
    }
    try {
      const helper = compile('spawner-helper.c', work);
      const reference = compile('spawn-methods.c', work);
      methods.push(
        ['helper', helperMethod(helper)],
        ['c:fork (50 MB heap)', cMethod(reference, ['fork', String(N), '50', '1'])],
        ['c:posix_spawn', cMethod(reference, ['posix_spawn', String(N), '50', '1'])],
        ['c:clone_vfork', cMethod(reference, ['clone_vfork', String(N), '50', '1'])],
        ['c:clone_vfork 2 threads', cMethod(reference, ['clone_vfork', String(N), '50', '2'])],
      );
    } catch {
      console.log('(no C compiler: helper and C reference methods skipped)');
    }
    const chosen = methods.filter(([name]) => ONLY.length === 0 || ONLY.some((o) => name.startsWith(o)));

    const results = new Map<string, number[]>(chosen.map(([name]) => [name, []]));
    // Rounds interleave the methods, so load from elsewhere hits them alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, method] of chosen) {
        const { ms, cleanup } = await method();
        await cleanup();
        results.get(name)!.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    const baseline = median(results.get('node-spawn') ?? [NaN]) / N;
    console.log(`${N} × ${CHILD_PROGRAM} per run, ${ROUNDS} rounds, median; load average ${(await loadAverage()).toFixed(2)}`);
    for (const [name, times] of results) {
      const perSpawn = median(times) / N;
      console.log(
        `${name.padEnd(24)} ${perSpawn.toFixed(2).padStart(6)} ms/spawn  ` +
          `200 children ≈ ${(perSpawn * 200).toFixed(0).padStart(5)} ms  ×${(baseline / perSpawn).toFixed(1)} vs node-spawn  ` +
          `(runs: ${times.map((t) => (t / N).toFixed(2)).join(', ')})`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function loadAverage(): Promise<number> {
  const { loadavg } = await import('node:os');
  return loadavg()[0];
}

await main();
