import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { Readable, type Writable } from 'node:stream';
import { openSharedOutputPipe, type SharedOutputPipe } from './pipes.js';

/**
 * What a child is started with. It always gets a new session (pgid == sid == pid),
 * stdin/stdout pipes, no signal handlers and an empty signal mask. Signals the
 * daemon ignores (node: SIGPIPE, SIGXFSZ) stay ignored on the native backend,
 * as under supervisord; node's spawn resets them to default.
 */
export interface FastSpawnOptions {
  /** Path given to execve: absolute or containing a '/'; PATH is not searched. */
  file: string;
  /** argv with argv[0] as written in the command. */
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  umask?: number;
  uid?: number;
  gid?: number;
  /** Supplementary groups when uid is set (default: just gid). Ignored by the node fallback, which clears them. */
  groups?: readonly number[];
  /** 'stdout': fd 2 is the same pipe as fd 1 (redirect_stderr). */
  stderr?: 'pipe' | 'stdout';
}

/** Where a native child stopped before exec; it has written supervisord's lines to its stderr and exits 127. */
export interface ChildSetupFailure {
  stage: 'setuid' | 'chdir' | 'exec';
  /** errno name, e.g. ENOENT. */
  code: string;
}

export type SpawnBackend = 'native' | 'node';

export type OutputChannel = 'stdout' | 'stderr';

/**
 * One started child. Emits 'exit' (code: number | null, signal: NodeJS.Signals | null)
 * exactly once, like ChildProcess.
 */
export interface SpawnedChild extends EventEmitter {
  readonly backend: SpawnBackend;
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** null when stderr goes to the stdout pipe. */
  readonly stderr: Readable | null;
  /** Set by the native backend when the child failed after the clone. */
  readonly setupFailure: ChildSetupFailure | undefined;
  /**
   * The parent's raw end of an output pipe, for a reader that does without
   * streams (output-pump.ts); the caller owns it from then on and `stdout` /
   * `stderr` stay empty. undefined on the node backend, for a merged stderr,
   * or once the stream was used or the fd taken. (On the native backend the
   * streams are made on first access: an output nobody reads or takes keeps
   * its pipe open.)
   */
  takeOutputFd(channel: OutputChannel): number | undefined;
  /**
   * Send a signal to the child (through its pidfd on the native backend: a
   * recycled pid is never hit) or to its process group. Throws an errno error
   * (code 'ESRCH' once the child has been reaped), as process.kill does.
   */
  kill(signo: number, options?: { group?: boolean }): void;
}

/**
 * node's spawn reports some exec failures (ENOENT, EACCES, …) a tick later
 * and without a child: `failing` carries that errno code. The native backend
 * never returns it: there the child itself reports the failure and exits 127.
 */
export type FastSpawnResult =
  | { kind: 'started'; child: SpawnedChild }
  | { kind: 'failing'; code: Promise<string> };

interface NativeSpawnResult {
  pid: number;
  pidfd: number;
  stdinFd: number;
  stdoutFd: number;
  stderrFd: number;
  failedStage?: ChildSetupFailure['stage'];
  failedCode?: string;
}

export interface NativeAddon {
  spawn(
    spec: {
      file: string;
      argv: string[];
      env: string[];
      cwd?: string;
      umask?: number;
      uid?: number;
      gid?: number;
      groups?: number[];
      mergeStderr: boolean;
    },
    onExit: (code: number | null, signal: number | null) => void,
  ): NativeSpawnResult;
  /** 0 or an errno number. */
  kill(pid: number, signo: number, group: boolean): number;
  /** Calls onReadable once per readiness of fd (level-triggered) until unwatch; makes fd non-blocking and owns it. */
  watchReadable(fd: number, onReadable: () => void): number;
  /** Stops the watch and closes its fd; false when there was none with that id. */
  unwatch(id: number): boolean;
  /** One read(2): bytes read, 0 at end of file, or -errno (-EAGAIN when empty for now). */
  readInto(fd: number, buffer: Buffer): number;
}

const ADDON_FILE = 'native/build/Release/fleetvisor_spawn.node';
let addon: NativeAddon | null | undefined;

/**
 * The compiled addon, or null when it is not built, cannot load, or
 * FLEETVISOR_NATIVE_SPAWN=0. Looked up from the source tree (tsx) and from
 * dist/ (compiled), both relative to this module.
 */
export function nativeSpawnAddon(): NativeAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.platform !== 'linux' || process.env.FLEETVISOR_NATIVE_SPAWN === '0') return addon;
  const require = createRequire(import.meta.url);
  for (const up of ['../../', '../../../']) {
    const path = new URL(up + ADDON_FILE, import.meta.url);
    if (!existsSync(path)) continue;
    try {
      addon = require(path.pathname) as NativeAddon;
      break;
    } catch {
      // A stale or foreign build: node's spawn still works.
    }
  }
  return addon;
}

export function spawnBackend(): SpawnBackend {
  return nativeSpawnAddon() ? 'native' : 'node';
}

/**
 * Start one child the way supervisord does: new session, pipes, env, cwd,
 * umask, uid/gid. Throws an errno error (EMFILE, EAGAIN, …) when the pipes
 * or the process cannot be made at all. `backend` defaults to the addon when
 * it is built (tests pick one; asking for 'native' without it throws).
 */
export function spawnFast(options: FastSpawnOptions, backend: SpawnBackend = spawnBackend()): FastSpawnResult {
  checkStrings(options);
  if (backend === 'node') return spawnWithNode(options);
  const native = nativeSpawnAddon();
  if (!native) throw new Error(`the native spawn addon is not built (${ADDON_FILE})`);
  return spawnNative(native, options);
}

// ---- native backend ----

/** One output pipe of a child: a stream made on first use, unless its fd was taken first. */
class OutputEnd {
  #fd: number | undefined;
  #stream: Readable | undefined;

  constructor(source: { fd: number } | { stream: Readable }) {
    if ('fd' in source) this.#fd = source.fd;
    else this.#stream = source.stream;
  }

  get stream(): Readable {
    if (!this.#stream) {
      const fd = this.#fd;
      this.#fd = undefined;
      this.#stream = fd === undefined ? Readable.from([]) : new Socket({ fd, readable: true, writable: false });
    }
    return this.#stream;
  }

  takeFd(): number | undefined {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) this.#stream = Readable.from([]);
    return fd;
  }
}

class ChildHandle extends EventEmitter implements SpawnedChild {
  readonly backend: SpawnBackend;
  readonly pid: number;
  readonly stdin: Writable;
  readonly setupFailure: ChildSetupFailure | undefined;
  readonly #stdout: OutputEnd;
  readonly #stderr: OutputEnd | null;
  readonly #signal: (signo: number, group: boolean) => void;

  constructor(fields: {
    backend: SpawnBackend;
    pid: number;
    stdin: Writable;
    stdout: OutputEnd;
    stderr: OutputEnd | null;
    setupFailure?: ChildSetupFailure;
    signal: (signo: number, group: boolean) => void;
  }) {
    super();
    this.backend = fields.backend;
    this.pid = fields.pid;
    this.stdin = fields.stdin;
    this.#stdout = fields.stdout;
    this.#stderr = fields.stderr;
    this.setupFailure = fields.setupFailure;
    this.#signal = fields.signal;
  }

  get stdout(): Readable {
    return this.#stdout.stream;
  }

  get stderr(): Readable | null {
    return this.#stderr?.stream ?? null;
  }

  takeOutputFd(channel: OutputChannel): number | undefined {
    return (channel === 'stdout' ? this.#stdout : this.#stderr)?.takeFd();
  }

  kill(signo: number, options: { group?: boolean } = {}): void {
    this.#signal(signo, options.group ?? false);
  }
}

function spawnNative(native: NativeAddon, options: FastSpawnOptions): FastSpawnResult {
  const mergeStderr = options.stderr === 'stdout';
  // Called from the event loop (never inside native.spawn), so `handle` is set by then.
  let handle: ChildHandle | undefined;
  const onExit = (code: number | null, signo: number | null) => {
    if (!handle) return;
    // As ChildProcess does: nobody can read our stdin any more. Output pipes end on their own.
    handle.stdin.destroy();
    handle.emit('exit', code, signalName(signo));
  };
  const started = native.spawn(
    {
      file: options.file,
      argv: [...options.argv],
      env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`),
      cwd: options.cwd,
      umask: options.umask,
      uid: options.uid,
      gid: options.gid,
      groups: options.groups ? [...options.groups] : undefined,
      mergeStderr,
    },
    onExit,
  );
  const pid = started.pid;
  handle = new ChildHandle({
    backend: 'native',
    pid,
    stdin: new Socket({ fd: started.stdinFd, readable: false, writable: true }),
    // Streams only when asked for: the daemon reads through output-pump.ts instead.
    stdout: new OutputEnd({ fd: started.stdoutFd }),
    stderr: mergeStderr ? null : new OutputEnd({ fd: started.stderrFd }),
    setupFailure: started.failedStage ? { stage: started.failedStage, code: started.failedCode ?? 'EUNKNOWN' } : undefined,
    signal: (signo, group) => {
      const errno = native.kill(pid, signo, group);
      if (errno !== 0) throw errnoError(errno, 'kill');
    },
  });
  return { kind: 'started', child: handle };
}

// ---- node fallback ----

function spawnWithNode(options: FastSpawnOptions): FastSpawnResult {
  let shared: SharedOutputPipe | undefined;
  if (options.stderr === 'stdout') shared = openSharedOutputPipe();

  let child: ChildProcess;
  const previousUmask = options.umask === undefined ? undefined : process.umask(options.umask);
  try {
    child = spawn(options.file, options.argv.slice(1), {
      argv0: options.argv[0],
      env: options.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: shared ? ['pipe', shared.writeFd, shared.writeFd] : ['pipe', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
  } catch (err) {
    shared?.destroy();
    throw err;
  } finally {
    if (previousUmask !== undefined) process.umask(previousUmask);
    shared?.closeWriteEnd();
  }

  if (child.pid === undefined) {
    shared?.destroy();
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    const code = new Promise<string>((resolve) => child.once('error', (err) => resolve(errnoCode(err))));
    return { kind: 'failing', code };
  }

  // Errors after a successful spawn (a failed kill through the handle) are not ours to crash on.
  child.on('error', () => {});
  const { stdin, stdout, stderr, pid } = child;
  const output = shared ? shared.reader : stdout;
  if (!stdin || !output) throw new Error('child stdio pipes missing');
  let exited = false;
  const handle = new ChildHandle({
    backend: 'node',
    pid,
    stdin,
    stdout: new OutputEnd({ stream: output }),
    stderr: shared || !stderr ? null : new OutputEnd({ stream: stderr }),
    signal: (signo, group) => {
      if (exited) throw errnoError(osConstants.errno.ESRCH, 'kill');
      process.kill(group ? -pid : pid, signo);
    },
  });
  child.once('exit', (code, signal) => {
    exited = true;
    handle.emit('exit', code, signal);
  });
  return { kind: 'started', child: handle };
}

// ---- helpers ----

/** execve takes C strings: a NUL would silently cut them. node's spawn refuses them too. */
function checkStrings(options: FastSpawnOptions): void {
  const all = [options.file, ...options.argv, options.cwd ?? '', ...Object.entries(options.env).flat()];
  if (all.some((text) => text.includes('\0'))) {
    throw Object.assign(new TypeError('spawn arguments must not contain null bytes'), { code: 'ERR_INVALID_ARG_VALUE' });
  }
  if (options.argv.length === 0) throw new TypeError('argv must not be empty');
}

const SIGNAL_NAMES: ReadonlyMap<number, NodeJS.Signals> = new Map(
  Object.entries(osConstants.signals).map(([name, num]) => [num, name as NodeJS.Signals]),
);

function signalName(signo: number | null): NodeJS.Signals | null {
  if (signo === null) return null;
  return SIGNAL_NAMES.get(signo) ?? (`SIG${signo}` as NodeJS.Signals);
}

const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(osConstants.errno).map(([name, num]) => [num, name]),
);

function errnoError(errno: number, syscall: string): NodeJS.ErrnoException {
  const code = ERRNO_NAMES.get(errno) ?? `E${errno}`;
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: -errno, syscall });
}

function errnoCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
