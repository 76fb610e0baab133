import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessStateName } from '../../node-agent/api/states.js';
import type { ProcessConfig } from '../../node-agent/config/types.js';
import { FileChildLog } from '../../node-agent/logs/child-log.js';
import { memoryLogger, type MemoryLogger } from '../../node-agent/logs/memory-logger.js';
import { createSubprocess } from '../../node-agent/process/index.js';
import type { Subprocess } from '../../node-agent/process/types.js';
import { processConfig } from '../helpers/process-config.js';

export { processConfig } from '../helpers/process-config.js';

export interface Harness {
  proc: Subprocess;
  logger: MemoryLogger;
  /** `FROM>TO` for every state change, in order. */
  transitions: string[];
  /** pid at the time of each transition, same order. */
  pids: number[];
  /** backoff (the events' `tries`) at the time of each transition, same order. */
  tries: number[];
  /** Date.now() of each transition, same order. */
  times: number[];
  dir: string;
  stdoutText(): string;
  stderrText(): string;
  /** Output chunks seen by onOutput, per channel. */
  output: { stdout: Buffer[]; stderr: Buffer[] };
  waitState(state: ProcessStateName, timeoutMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

export function harness(overrides: Partial<ProcessConfig> & { command: string }, groupName = 'grp'): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'fv-proc-'));
  const config = processConfig(overrides);
  const stdoutLog = new FileChildLog({ path: join(dir, 'out.log'), maxbytes: 0, backups: 0 });
  const stderrLog = config.redirectStderr ? undefined : new FileChildLog({ path: join(dir, 'err.log'), maxbytes: 0, backups: 0 });
  const logger = memoryLogger();
  const transitions: string[] = [];
  const pids: number[] = [];
  const tries: number[] = [];
  const times: number[] = [];
  const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const proc = createSubprocess(config, groupName, {
    logger,
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', FV_BASE: 'base' },
    defaultServerUrl: 'unix:///tmp/fv-test.sock',
    childLogs: { stdout: stdoutLog, stderr: stderrLog },
    onStateChange: (p, from, to) => {
      transitions.push(`${from}>${to}`);
      pids.push(p.pid);
      tries.push(p.backoff);
      times.push(Date.now());
    },
    onOutput: (_p, ch, chunk) => output[ch].push(chunk),
  });

  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };

  return {
    proc,
    logger,
    transitions,
    pids,
    tries,
    times,
    dir,
    output,
    stdoutText: () => read('out.log'),
    stderrText: () => read('err.log'),
    waitState: (state, timeoutMs = 8000) => waitForState(proc, state, timeoutMs),
    cleanup: async () => {
      proc.dispose();
      if (proc.pid) {
        const settled = proc.waitFor((s) => s !== 'STARTING' && s !== 'RUNNING' && s !== 'STOPPING');
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await settled;
      }
      stdoutLog.close();
      stderrLog?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForState(proc: Subprocess, state: ProcessStateName, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${proc.config.name}: still ${proc.state} after ${timeoutMs} ms, wanted ${state}`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([proc.waitFor((s) => s === state), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Poll-free wait for a condition that only changes with time (for output files). */
export async function eventually(check: () => boolean, timeoutMs = 3000, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** True while a pid exists (kill 0 succeeds or fails with EPERM). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
