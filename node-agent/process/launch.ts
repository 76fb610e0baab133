import type { Writable } from 'node:stream';
import { spawnFast, type SpawnedChild } from './fast-spawn.js';

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

/** Output is read from `child` (output-pump.ts), which may take the pipes' fds instead of streams. */
export interface LaunchedChild {
  child: SpawnedChild;
  pid: number;
  stdin: Writable | null;
}

/**
 * The outcome of one spawn attempt. The node fallback learns of some exec
 * failures (ENOENT, EACCES, EAGAIN, …) only on the next tick, hence `failing`;
 * the native backend reports them as a child that exits 127, as supervisord's do.
 */
export type LaunchResult =
  | { kind: 'started'; launched: LaunchedChild }
  | { kind: 'failed'; code: string }
  | { kind: 'failing'; code: Promise<string> };

/**
 * Spawn in a new session (so `kill(-pid)` reaches the whole group) with
 * stdin/stdout/stderr pipes. When this returns `started`, the program has
 * been exec'd already, so it may be signalled at once.
 */
export function launch(spec: LaunchSpec): LaunchResult {
  let result;
  try {
    result = spawnFast({
      file: spec.filename,
      argv: spec.argv,
      env: spec.env,
      cwd: spec.cwd,
      umask: spec.umask,
      uid: spec.uid,
      gid: spec.gid,
      stderr: spec.redirectStderr ? 'stdout' : 'pipe',
    });
  } catch (err) {
    return { kind: 'failed', code: errnoCode(err) };
  }
  if (result.kind === 'failing') return result;
  const child = result.child;
  return {
    kind: 'started',
    launched: { child, pid: child.pid, stdin: child.stdin },
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
