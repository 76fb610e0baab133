import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { openSharedOutputPipe, type SharedOutputPipe } from './pipes.js';

/** Everything needed to fork+exec one child the way supervisord sets it up. */
export interface LaunchSpec {
  /** Path given to exec (already resolved against PATH). */
  filename: string;
  /** argv with argv[0] as written in the command. */
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  umask?: number;
  uid?: number;
  gid?: number;
  /** fd 2 is the same pipe as fd 1. */
  redirectStderr: boolean;
}

export interface LaunchedChild {
  child: ChildProcess;
  pid: number;
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable | null;
}

/**
 * The outcome of one spawn attempt. libuv reports some exec failures
 * (ENOENT, EACCES, EAGAIN, …) only on the next tick, hence `failing`.
 */
export type LaunchResult =
  | { kind: 'started'; launched: LaunchedChild }
  | { kind: 'failed'; code: string }
  | { kind: 'failing'; code: Promise<string> };

/**
 * Spawn in a new session (so `kill(-pid)` reaches the whole group) with
 * stdin/stdout/stderr pipes. When this returns `started`, the program has
 * been exec'd already (libuv waits for it), so it may be signalled at once.
 * Throws the errno error when the pipes cannot be made.
 */
export function launch(spec: LaunchSpec): LaunchResult {
  let shared: SharedOutputPipe | undefined;
  let stdio: StdioOptions = ['pipe', 'pipe', 'pipe'];
  if (spec.redirectStderr) {
    shared = openSharedOutputPipe();
    stdio = ['pipe', shared.writeFd, shared.writeFd];
  }

  let child: ChildProcess;
  const previousUmask = spec.umask === undefined ? undefined : process.umask(spec.umask);
  try {
    child = spawn(spec.filename, spec.argv.slice(1), {
      argv0: spec.argv[0],
      env: spec.env,
      cwd: spec.cwd,
      uid: spec.uid,
      gid: spec.gid,
      stdio,
      detached: true,
      windowsHide: true,
    });
  } catch (err) {
    shared?.destroy();
    return { kind: 'failed', code: errnoCode(err) };
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
  const stdout = shared ? shared.reader : child.stdout;
  if (!stdout) throw new Error('child stdout pipe missing');
  return {
    kind: 'started',
    launched: { child, pid: child.pid, stdin: child.stdin, stdout, stderr: shared ? null : child.stderr },
  };
}

/**
 * A stand-in for a child that fails after fork, as supervisord's does: it
 * writes `lines` to its stderr (the process log) and exits 127. Running it as
 * a real process keeps pid, exit and startsecs handling on the normal path.
 */
export function launchFailingStandIn(lines: string[], redirectStderr: boolean): LaunchResult {
  return launch({
    filename: '/bin/sh',
    argv: ['sh', '-c', `printf '%s\\n' "$@" >&2; exit 127`, 'sh', ...lines],
    env: { PATH: '/usr/bin:/bin' },
    redirectStderr,
  });
}

export function errnoCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
