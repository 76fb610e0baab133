#!/usr/bin/env node
// Builds the spawn addon (native/build/Release/fleetvisor_spawn.node) offline:
// node-gyp against the headers of the running node (npm's bundled node-gyp
// when run as an npm script), else a direct `cc` call. Never fails the
// install: without the addon fleetvisord spawns with node's child_process.
//
//   node native/build.mjs [--required]    (--required: exit 1 when not built)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, 'build', 'Release', 'fleetvisor_spawn.node');
const required = process.argv.includes('--required');

function log(message) {
  process.stderr.write(`native: ${message}\n`);
}

/** The install prefix whose include/node has the headers of this very node (e.g. /usr). */
function nodeDir() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((file) => file && existsSync(file));
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: here, stdio: ['ignore', 'ignore', 'inherit'] });
  return result.status === 0;
}

function withNodeGyp(dir) {
  const script = nodeGypScript();
  if (!script) return false;
  return run(process.execPath, [script, 'rebuild', `--nodedir=${dir}`, '--silent']);
}

function withCc(dir) {
  mkdirSync(dirname(output), { recursive: true });
  return run('cc', [
    '-O2', '-Wall', '-shared', '-fPIC', '-fvisibility=hidden',
    `-I${join(dir, 'include', 'node')}`,
    join(here, 'src', 'addon.c'), join(here, 'src', 'child.c'), join(here, 'src', 'output.c'),
    '-o', output,
  ]);
}

if (process.platform !== 'linux') {
  log('the spawn addon is Linux-only; node spawn is used');
  process.exit(0);
}
const dir = nodeDir();
if (!dir) {
  log(`no node headers next to ${process.execPath}; node spawn is used`);
  process.exit(required ? 1 : 0);
}
if (withNodeGyp(dir) || withCc(dir)) {
  log(`built ${output}`);
} else {
  log('build failed; node spawn is used');
  process.exit(required ? 1 : 0);
}
