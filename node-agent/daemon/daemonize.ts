import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * Node cannot fork, so daemonizing re-runs this program detached (its own
 * session, stdio on /dev/null) and waits for the child to say that it booted:
 * config and bind errors still reach the terminal with exit status 2, as with
 * supervisord. The child reports on fd 3.
 */
const CHILD_MARK = 'FLEETVISORD_DAEMON_CHILD';

export function isDaemonChild(): boolean {
  return process.env[CHILD_MARK] === '1';
}

export async function runDetached(opts: { cwd?: string }): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: opts.cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, [CHILD_MARK]: '1' },
  });
  const report = child.stdio[3] as import("node:stream").Readable | null;
  let text = '';
  report?.setEncoding('utf8');
  report?.on('data', (chunk: string) => (text += chunk));
  const code = await new Promise<number>((resolve) => {
    report?.on('end', () => resolve(text.startsWith('ok') ? 0 : 2));
    child.on('exit', (status) => resolve(text.startsWith('ok') ? 0 : status ?? 2));
  });
  if (code !== 0 && text.startsWith('error:')) process.stderr.write(text.slice('error:'.length));
  child.unref();
  process.exit(code);
}

/** In the daemon child: tell the waiting parent how boot went, then let go of the pipe. */
export function reportToParent(result: { ok: true } | { ok: false; message: string }): void {
  if (!isDaemonChild()) return;
  try {
    const out = createWriteStream('', { fd: 3 });
    out.end(result.ok ? 'ok\n' : `error:${result.message}`);
  } catch {
    // parent gone: nothing to tell
  }
}
