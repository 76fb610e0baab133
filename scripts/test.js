#!/usr/bin/env node
// `npm test`: install the system programs the tests need, typecheck, then run
// every test/**/*.test.ts with node's test runner. The output ends with the
// runner's summary lines (CI reads them); the exit code is non-zero when the
// typecheck or any test failed.
//
//   node scripts/test.js [--no-typecheck] [FILE_OR_DIR...]
//
// Environment: TEST_CONCURRENCY (default 4: test files mostly wait on daemons; the
// machines have two cores), FLEETVISOR_DIFF (see test/helpers/kinds.ts),
// TEST_REPORTER (passed to --test-reporter).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function testFilesUnder(path) {
  if (statSync(path).isFile()) return [path];
  const files = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) files.push(...testFilesUnder(child));
    else if (entry.name.endsWith('.test.ts')) files.push(child);
  }
  return files;
}

function parseArgs(argv) {
  const options = { typecheck: true, paths: [] };
  for (const arg of argv) {
    if (arg === '--no-typecheck') options.typecheck = false;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}; usage: node scripts/test.js [--no-typecheck] [FILE_OR_DIR...]`);
    else options.paths.push(resolve(arg));
  }
  if (options.paths.length === 0) options.paths.push(join(root, 'test'));
  return options;
}

function typecheck() {
  const tsc = require.resolve('typescript/bin/tsc');
  process.stderr.write('typecheck: tsc -p tsconfig.json --noEmit\n');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--noEmit'], {
    cwd: root,
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

function runTests(files) {
  const concurrency = process.env.TEST_CONCURRENCY ?? '4';
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`];
  if (process.env.TEST_REPORTER) args.push(`--test-reporter=${process.env.TEST_REPORTER}`);
  args.push(...files.map((f) => relative(root, f)));
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  ensureDeps(['supervisor']);
  const files = [...new Set(options.paths.flatMap(testFilesUnder))].sort();
  if (files.length === 0) throw new Error(`no *.test.ts files under ${options.paths.join(', ')}`);
  const typecheckStatus = options.typecheck ? typecheck() : 0;
  if (typecheckStatus !== 0) process.stderr.write('typecheck failed; running the tests anyway\n');
  // Last, so the runner's summary lines end the output.
  const testStatus = runTests(files);
  return testStatus !== 0 ? testStatus : typecheckStatus;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`test: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
