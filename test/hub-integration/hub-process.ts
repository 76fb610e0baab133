/**
 * The hub as a real child process: `node dist/hub/main.js -c hub.ini`
 * (from the TypeScript sources through tsx when dist/ is not built), its
 * URL read from what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../hub-fleet/agents.js';

const HUB_DIST = join(REPO, 'dist', 'hub', 'main.js');

export interface HubProcess {
  url: string;
  pid: number;
  output(): string;
  /** SIGKILL: no chance to flush or close anything. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit (SIGKILL after `graceMs`, if given); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export function hubCommand(): string[] {
  return existsSync(HUB_DIST) ? [HUB_DIST] : ['--import', 'tsx', join(REPO, 'hub', 'main.ts')];
}

export async function startHubProcess(iniPath: string, env: Record<string, string>): Promise<HubProcess> {
  const child: ChildProcess = spawn(process.execPath, [...hubCommand(), '-c', iniPath], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /web view and API at (\S+?)\/?\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
