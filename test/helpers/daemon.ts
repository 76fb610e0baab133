/**
 * Starts a real supervisord or fleetvisord in the foreground in a temp dir,
 * waits until it answers XML-RPC, and drives it with the real supervisorctl.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConf, socketPathOf } from './conf.js';
import { FLEETVISORD_MAIN, type DaemonKind } from './kinds.js';
import { isAlive, killAll, processesOf } from './proc-tree.js';
import { callUnix, type XmlRpcValue } from './xmlrpc-mini.js';
import { RpcFault } from '../../node-agent/api/faults.js';

export type { DaemonKind } from './kinds.js';
export { daemonKinds, fleetvisordBuilt } from './kinds.js';

export const SUPERVISORD = '/usr/bin/supervisord';
export const SUPERVISORCTL = '/usr/bin/supervisorctl';
export const PYTHON = '/usr/bin/python3';

export interface ExtraFile {
  /** Path relative to the temp dir. `{dir}` in content is replaced. */
  path: string;
  content: string;
  mode?: number;
}

export interface StartOptions {
  /** Files written into the temp dir before the daemon starts (scripts, includes). */
  files?: readonly ExtraFile[];
  /** Extra daemon flags after `-n -c FILE`. */
  args?: readonly string[];
  readyTimeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export type RpcOutcome = { value: XmlRpcValue } | { faultCode: number; faultString: string };

export interface ProcessInfoLite {
  name: string;
  group: string;
  statename: string;
  pid: number;
  [key: string]: XmlRpcValue;
}

export interface Daemon {
  readonly kind: DaemonKind;
  readonly dir: string;
  readonly conf: string;
  readonly sock: string;
  readonly pid: number;
  /** Resolves when the daemon process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Runs the real supervisorctl against this daemon. */
  ctl(args: readonly string[]): Promise<RunResult>;
  /** One XML-RPC call; rejects with RpcFault on a fault. */
  rpc(method: string, params?: readonly XmlRpcValue[]): Promise<XmlRpcValue>;
  /** Like rpc, but a fault is a value. */
  rpcOutcome(method: string, params?: readonly XmlRpcValue[]): Promise<RpcOutcome>;
  /** Rewrites the config from a new template body (for reread/update). */
  rewriteConf(body: string): void;
  /** Resolves with the process list once `ready(list)` holds, re-checking every `everyMs`. */
  waitForProcesses(ready: (infos: ProcessInfoLite[]) => boolean, timeoutMs?: number): Promise<ProcessInfoLite[]>;
  /** Shorthand: wait until each named namespec (`group:name` or `name`) is in the given state. */
  waitForStates(states: Record<string, string>, timeoutMs?: number): Promise<ProcessInfoLite[]>;
  /** Resolves with the main log once it contains `pattern`. */
  waitForMainLog(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The daemon's captured stdout+stderr so far. */
  output(): string;
  /** The main log file's content so far ('' when missing). */
  mainLog(): string;
  /** SIGTERM, then after `graceMs` SIGKILL the daemon and everything it started; removes the temp dir. */
  stop(graceMs?: number): Promise<void>;
}

const liveDaemons = new Set<number>();
process.on('exit', () => {
  // Last resort when a test file dies without running its after hooks.
  for (const pid of liveDaemons) killAll([pid, ...processesOf(pid)]);
});

export function daemonCommand(kind: DaemonKind, conf: string, args: readonly string[] = []): [string, string[]] {
  if (kind === 'supervisord') return [SUPERVISORD, ['-n', '-c', conf, ...args]];
  return [process.execPath, ['--import', import.meta.resolve('tsx'), FLEETVISORD_MAIN, '-n', '-c', conf, ...args]];
}

function writeFiles(dir: string, files: readonly ExtraFile[]): void {
  for (const file of files) {
    const path = join(dir, file.path);
    writeFileSync(path, file.content.replaceAll('{dir}', dir));
    if (file.mode !== undefined) chmodSync(path, file.mode);
  }
}

export function makeTempDir(prefix = 'fv-compat-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Resolves `promise`'s value, or `fallback` after `ms` (without holding the event loop open). */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

function keepTempDirs(): boolean {
  return process.env.FLEETVISOR_KEEP_TMP === '1';
}

function faultOf(err: unknown): RpcFault | undefined {
  return err instanceof RpcFault || (err as RpcFault | undefined)?.name === 'RpcFault' ? (err as RpcFault) : undefined;
}

/** Waits until the socket answers any XML-RPC response, the child exits, or the timeout passes. */
async function waitUntilAnswering(
  dir: string,
  sock: string,
  exited: Promise<unknown>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const watcher = watch(dir);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await callUnix(sock, 'supervisor.getState');
        return;
      } catch (err) {
        if (faultOf(err)) return;
      }
      if (gone) throw new Error(`daemon exited before answering on ${sock}\n${describe()}`);
      if (Date.now() > deadline) throw new Error(`daemon did not answer on ${sock} within ${timeoutMs} ms\n${describe()}`);
      // Retry when the dir changes (socket created) or after a short pause.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 100);
        watcher.once('change', done);
        void exited.then(done);
        function done(): void {
          clearTimeout(timer);
          watcher.off('change', done);
          resolve();
        }
      });
    }
  } finally {
    watcher.close();
  }
}

export async function startDaemon(kind: DaemonKind, confBody: string, opts: StartOptions = {}): Promise<Daemon> {
  const dir = makeTempDir(`fv-${kind}-`);
  const confPath = join(dir, 'supervisord.conf');
  const confText = buildConf(confBody, dir);
  writeFileSync(confPath, confText);
  writeFiles(dir, opts.files ?? []);
  const sock = socketPathOf(confText);
  const outPath = join(dir, 'daemon.out');
  const outFd = openSync(outPath, 'w');
  const [cmd, args] = daemonCommand(kind, confPath, opts.args);
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, { cwd: dir, detached: true, stdio: ['ignore', outFd, outFd] });
  } finally {
    closeSync(outFd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${cmd}`);
  liveDaemons.add(pid);
  // Once the daemon is gone its pid may be reused by anyone, so what it left
  // behind is looked up right at exit and only those pids are killed later.
  let orphans: number[] | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      orphans = processesOf(pid);
      liveDaemons.delete(pid);
      resolve({ code, signal });
    });
  });
  const mainLogPath = join(dir, 'supervisord.log');
  const output = (): string => readOr(outPath, '');
  const mainLog = (): string => readOr(mainLogPath, '');

  const rpc = (method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> =>
    callUnix(sock, method, params);

  const stop = async (graceMs = 3000): Promise<void> => {
    if (orphans === undefined) {
      const leftovers = new Set(processesOf(pid));
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // exiting already; the exit handler records what it left
      }
      await within(exited, graceMs, undefined);
      if (orphans === undefined) {
        processesOf(pid).forEach((p) => leftovers.add(p));
        killAll([pid, ...leftovers]);
        await within(exited, 1000, undefined);
      }
      leftovers.forEach((p) => orphans?.push(p));
    }
    killAll((orphans ?? []).filter(isAlive));
    liveDaemons.delete(pid);
    if (!keepTempDirs()) rmSync(dir, { recursive: true, force: true });
  };

  const daemon: Daemon = {
    kind,
    dir,
    conf: confPath,
    sock,
    pid,
    exited,
    ctl: (ctlArgs) => runCommand(SUPERVISORCTL, ['-c', confPath, ...ctlArgs], { cwd: dir }),
    rpc,
    async rpcOutcome(method, params = []) {
      try {
        return { value: await rpc(method, params) };
      } catch (err) {
        const fault = faultOf(err);
        if (!fault) throw err;
        return { faultCode: fault.faultCode, faultString: fault.faultString };
      }
    },
    rewriteConf(body) {
      writeFileSync(confPath, buildConf(body, dir));
    },
    async waitForProcesses(ready, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer yet';
      for (;;) {
        try {
          const infos = (await rpc('supervisor.getAllProcessInfo')) as ProcessInfoLite[];
          if (ready(infos)) return infos;
          last = infos.map((i) => `${i.group}:${i.name}=${i.statename}`).join(' ');
        } catch (err) {
          // a restarting daemon refuses connections or answers SHUTDOWN_STATE for a while
          last = String(err);
        }
        if (Date.now() > deadline) throw new Error(`processes not ready within ${timeoutMs} ms: ${last}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async waitForMainLog(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const log = mainLog();
        if (typeof pattern === 'string' ? log.includes(pattern) : pattern.test(log)) return log;
        if (Date.now() > deadline) throw new Error(`main log never matched ${String(pattern)}:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    waitForStates(states, timeoutMs) {
      return daemon.waitForProcesses((infos) => {
        return Object.entries(states).every(([spec, state]) => {
          const [group, name] = spec.includes(':') ? spec.split(':') : [spec, spec];
          return infos.some((i) => i.group === group && i.name === name && i.statename === state);
        });
      }, timeoutMs);
    },
    output,
    mainLog,
    stop,
  };
  try {
    await waitUntilAnswering(dir, sock, exited, opts.readyTimeoutMs ?? 20_000, () => output());
  } catch (err) {
    await stop(0);
    throw err;
  }
  return daemon;
}

export function runCommand(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs a daemon that is expected to refuse to start (bad config, port in
 * use): returns its output and exit code. Kills it if it is still up after
 * `timeoutMs`.
 */
export async function runDaemonToExit(
  kind: DaemonKind,
  confBody: string,
  opts: StartOptions & { timeoutMs?: number } = {},
): Promise<RunResult & { dir: string; conf: string }> {
  const dir = makeTempDir(`fv-${kind}-`);
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(conf, buildConf(confBody, dir));
  writeFiles(dir, opts.files ?? []);
  const [cmd, args] = daemonCommand(kind, conf, opts.args);
  try {
    const result = await runCommand(cmd, args, { cwd: dir, timeoutMs: opts.timeoutMs ?? 15_000 });
    return { ...result, dir, conf };
  } finally {
    if (!keepTempDirs()) rmSync(dir, { recursive: true, force: true });
  }
}
