/**
 * Runs fleetvisorctl next to the real supervisorctl against the same daemon
 * and compares what they print.
 *
 * fleetvisorctl is bundled from the current sources once per test process
 * (esbuild, which tsx brings along: a fraction of a second, and each run then
 * starts like the built binary). Without esbuild it runs through tsx.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/kinds.js';
import { runCommand, SUPERVISORCTL, type Daemon, type RunResult } from '../helpers/daemon.js';
import { normalize } from '../helpers/normalize.js';

const CLI_MAIN = join(REPO_ROOT, 'cli', 'main.ts');
let cliCommand: Promise<string[]> | undefined;
let bundleDir: string | undefined;

process.on('exit', () => {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

async function buildCli(): Promise<string[]> {
  try {
    const esbuild = await import('esbuild');
    bundleDir = mkdtempSync(join(tmpdir(), 'fv-cli-bundle-'));
    const outfile = join(bundleDir, 'fleetvisorctl.mjs');
    await esbuild.build({ entryPoints: [CLI_MAIN], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent' });
    if (existsSync(outfile)) return [process.execPath, outfile];
  } catch {
    // fall through to tsx
  }
  return [process.execPath, '--import', import.meta.resolve('tsx'), CLI_MAIN];
}

/** The command line that runs fleetvisorctl (bundled on first use). */
export function fleetvisorctlCommand(): Promise<string[]> {
  cliCommand ??= buildCli();
  return cliCommand;
}

export interface CtlOptions {
  /** Options placed before `-c CONF` (e.g. `-s`, `-u`). */
  pre?: readonly string[];
  /** Leave out `-c CONF`. */
  noConf?: boolean;
  input?: string;
  timeoutMs?: number;
}

function argsFor(d: Daemon, args: readonly string[], opts: CtlOptions): string[] {
  return [...(opts.noConf ? [] : ['-c', d.conf]), ...(opts.pre ?? []), ...args];
}

export async function fleetvisorctl(d: Daemon, args: readonly string[], opts: CtlOptions = {}): Promise<RunResult> {
  const [cmd, ...pre] = await fleetvisorctlCommand();
  return runCommand(cmd, [...pre, ...argsFor(d, args, opts)], { cwd: d.dir, input: opts.input, timeoutMs: opts.timeoutMs });
}

export function supervisorctl(d: Daemon, args: readonly string[], opts: CtlOptions = {}): Promise<RunResult> {
  return runCommand(SUPERVISORCTL, argsFor(d, args, opts), { cwd: d.dir, input: opts.input, timeoutMs: opts.timeoutMs });
}

export interface Comparable {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface CompareOptions extends CtlOptions {
  sortLines?: boolean;
  barePids?: boolean;
}

/** What may legitimately differ between the two clients or two runs: pids, times, the program's own path. */
export function comparable(d: Daemon, result: RunResult, opts: CompareOptions = {}): Comparable {
  const n = (text: string): string =>
    normalize(text, { dir: d.dir, sortLines: opts.sortLines, barePids: opts.barePids }).replace(
      /^For help, use \S+ -h$/gm,
      'For help, use ARGV0 -h',
    );
  return { stdout: n(result.stdout), stderr: n(result.stderr), code: result.code };
}

/** Runs both clients (supervisorctl first) and returns their normalised results. */
export async function bothClients(
  d: Daemon,
  line: string,
  opts: CompareOptions & { before?: string } = {},
): Promise<{ expected: Comparable; actual: Comparable }> {
  const args = line === '' ? [] : line.split(' ');
  const prepare = async (): Promise<void> => {
    if (opts.before !== undefined) await supervisorctl(d, opts.before.split(' '));
  };
  await prepare();
  const expected = comparable(d, await supervisorctl(d, args, opts), opts);
  await prepare();
  const actual = comparable(d, await fleetvisorctl(d, args, opts), opts);
  return { expected, actual };
}
