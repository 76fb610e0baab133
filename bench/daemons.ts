/**
 * Starting and killing the daemons under test: fleetvisord (the built
 * dist/node-agent/main.js) or the real supervisord, each in its own temp dir
 * with its own unix socket, in its own process group. Every daemon started
 * here is tracked so an interrupted run can still kill it and its children.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlRpcClient } from '../node-agent/api/client.js';
import type { XmlRpcValue } from '../node-agent/api/types.js';
import { killTree } from './proc.js';

export type DaemonKind = 'fleetvisord' | 'supervisord';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FLEETVISORD_MAIN = join(REPO_ROOT, 'dist', 'node-agent', 'main.js');
export const SUPERVISORD_BIN = '/usr/bin/supervisord';

export type SectionOptions = Record<string, string | number | boolean>;

/** One `[kind:name]` section of a supervisord.conf. */
export function section(header: string, options: SectionOptions): string {
  const lines = Object.entries(options).map(([key, value]) => `${key}=${value}`);
  return `[${header}]\n${lines.join('\n')}\n`;
}

/** `[program:<name>]` running `numprocs` copies named `<name>_000`, `<name>_001`, ... */
export function programPool(name: string, numprocs: number, options: SectionOptions): string {
  return section(`program:${name}`, {
    numprocs,
    process_name: '%(program_name)s_%(process_num)03d',
    ...options,
  });
}

/** The temp dir a daemon lives in: its config, socket, logs and the scenario's files. */
export class DaemonHome {
  readonly dir: string;

  constructor(readonly kind: DaemonKind) {
    this.dir = mkdtempSync(join(tmpdir(), `fvbench-${kind}-`));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set<Daemon>();

/** Kills every daemon still running (and its children); synchronous, for exit paths. */
export function killAllDaemons(): void {
  for (const daemon of [...live]) daemon.kill();
}

function commandFor(kind: DaemonKind, configPath: string): [string, string[]] {
  if (kind === 'fleetvisord') return [process.execPath, ['--max-semi-space-size=1', FLEETVISORD_MAIN, '-c', configPath, '-n']];
  return [SUPERVISORD_BIN, ['-c', configPath, '-n']];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface LaunchOptions {
  /** Sections after the daemon's own ([unix_http_server], [supervisord], [rpcinterface]). */
  sections: string[];
  /** How long to wait for the socket to answer getState; default 30 s. */
  readyTimeoutMs?: number;
  /** Return right after spawning, without waiting for the socket. */
  noWait?: boolean;
}

export class Daemon {
  readonly kind: DaemonKind;
  readonly home: DaemonHome;
  readonly socketPath: string;
  readonly socketUrl: string;
  readonly client: XmlRpcClient;
  /** performance.now() just before the daemon was spawned. */
  readonly spawnedAt: number;
  private readonly child: ChildProcess;
  private exitNote: string | undefined;

  private constructor(home: DaemonHome, configPath: string) {
    this.kind = home.kind;
    this.home = home;
    this.socketPath = home.path('daemon.sock');
    this.socketUrl = `unix://${this.socketPath}`;
    this.client = new XmlRpcClient({ url: this.socketUrl, timeoutMs: 120_000 });
    const outFd = openSync(home.path('daemon.out'), 'a');
    const [command, args] = commandFor(home.kind, configPath);
    this.spawnedAt = performance.now();
    try {
      this.child = spawn(command, args, { cwd: home.dir, detached: true, stdio: ['ignore', outFd, outFd] });
    } finally {
      closeSync(outFd);
    }
    this.child.on('error', (err) => (this.exitNote = `could not start ${command}: ${err.message}`));
    this.child.on('exit', (code, signal) => {
      this.exitNote ??= `${this.kind} exited (${signal ?? `status ${code}`}); its output ends: ${this.outputTail()}`;
      live.delete(this);
    });
    live.add(this);
  }

  static async launch(home: DaemonHome, options: LaunchOptions): Promise<Daemon> {
    if (home.kind === 'fleetvisord' && !existsSync(FLEETVISORD_MAIN)) {
      home.remove();
      throw new Error(`${FLEETVISORD_MAIN} is missing: build with npx tsc -p .`);
    }
    const configPath = home.path('daemon.conf');
    const own = [
      section('unix_http_server', { file: home.path('daemon.sock') }),
      section('supervisord', {
        logfile: home.path('daemon.log'),
        pidfile: home.path('daemon.pid'),
        childlogdir: home.dir,
        loglevel: 'info',
      }),
      section('rpcinterface:supervisor', {
        'supervisor.rpcinterface_factory': 'supervisor.rpcinterface:make_main_rpcinterface',
      }),
    ];
    writeFileSync(configPath, [...own, ...options.sections].join('\n'));
    const daemon = new Daemon(home, configPath);
    if (!options.noWait) {
      try {
        await daemon.waitReady(options.readyTimeoutMs ?? 30_000);
      } catch (err) {
        daemon.kill();
        throw err;
      }
    }
    return daemon;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(this.exitNote ?? `${this.kind} has no pid`);
    return this.child.pid;
  }

  /** Why the daemon is gone, or undefined while it runs. */
  get exited(): string | undefined {
    return this.exitNote;
  }

  /** Polls getState until the daemon answers RUNNING. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.exitNote !== undefined) throw new Error(this.exitNote);
      try {
        const state = await this.client.call<{ statecode: number }>('supervisor.getState', [], { timeoutMs: 5_000 });
        if (state.statecode === 1) return;
      } catch {
        // socket not there yet
      }
      if (performance.now() > deadline) throw new Error(`${this.kind} did not answer within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  call<T = XmlRpcValue>(method: string, params: readonly XmlRpcValue[] = [], timeoutMs?: number): Promise<T> {
    if (this.exitNote !== undefined) return Promise.reject(new Error(this.exitNote));
    return this.client.call<T>(method, params, timeoutMs === undefined ? {} : { timeoutMs });
  }

  outputTail(bytes = 600): string {
    try {
      const text = readFileSync(this.home.path('daemon.out'), 'utf8');
      return text.slice(-bytes).trim() || '(nothing)';
    } catch {
      return '(no output file)';
    }
  }

  /** Kills the daemon and all its children, and removes its temp dir. */
  kill(): void {
    this.client.close();
    if (this.child.pid !== undefined) killTree(this.child.pid);
    live.delete(this);
    this.exitNote ??= `${this.kind} was killed by the benchmark`;
    this.home.remove();
  }
}
