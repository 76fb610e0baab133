#!/usr/bin/env node
// `npm run bench`: build dist/ when a source file is newer than the built
// agent, then run bench/run.ts, which measures fleetvisord side by side with
// /usr/bin/supervisord (when installed) and writes bench/results/.
//
//   npm run bench -- [--quick] [--no-supervisord] [--list] [SCENARIO_FILTER...]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const agentMain = join(root, 'dist', 'node-agent', 'main.js');
// tsc leaves unchanged outputs alone, so main.js's mtime says little: a stamp marks our last build.
const buildStamp = join(root, 'dist', '.bench-built');

function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
  const builtAt = existsSync(agentMain) ? Math.max(mtime(agentMain), mtime(buildStamp)) : 0;
  if (builtAt >= newestSourceTime(join(root, 'node-agent'))) return;
  const startedAt = new Date();
  process.stderr.write('bench: building dist/ (tsc -p tsconfig.json)\n');
  // tsc emits even when some file (say, a test in progress) has type errors;
  // the agent only has to exist afterwards.
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (!existsSync(agentMain)) throw new Error(`the build did not produce ${agentMain}`);
  // Sources edited during the build stay newer than the stamp.
  writeFileSync(buildStamp, '');
  utimesSync(buildStamp, startedAt, startedAt);
}

function main() {
  const args = process.argv.slice(2);
  if (!args.includes('--list') && !args.includes('--help') && !args.includes('-h')) buildIfStale();
  // `--import tsx` resolves from the working directory: run from the repo root.
  const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'run.ts'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  // The runner kills its daemons on these signals; make sure it gets them.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

try {
  main();
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
