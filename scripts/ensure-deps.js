#!/usr/bin/env node
// Makes sure the system programs the tests need are installed: the real
// supervisord/supervisorctl (Debian's `supervisor`, the reference the compat
// tests compare against) and, on request, `chromium` for browser tests.
//
//   node scripts/ensure-deps.js [--chromium]
//
// Installs with apt-get when running as root; otherwise fails with a message
// saying what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** What each optional system dependency needs on disk, and the Debian package providing it. */
export const SYSTEM_DEPS = {
  supervisor: {
    package: 'supervisor',
    files: ['/usr/bin/supervisord', '/usr/bin/supervisorctl', '/usr/lib/python3/dist-packages/supervisor/xmlrpc.py'],
  },
  chromium: {
    package: 'chromium',
    files: ['/usr/bin/chromium'],
  },
};

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const SYSTEM_PIDFILES = ['/run/supervisord.pid', '/var/run/supervisord.pid'];

function log(message) {
  process.stderr.write(`ensure-deps: ${message}\n`);
}

function missingFiles(dep) {
  return dep.files.filter((file) => !existsSync(file));
}

function run(cmd, args, env = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

/**
 * While installing, tell invoke-rc.d not to start services (exit 101 is the
 * Debian convention), so the package's postinst does not leave a system
 * supervisord running that could clash with the test daemons.
 */
function withServicesBlocked(fn) {
  const ours = !existsSync(POLICY_RC_D);
  if (ours) {
    writeFileSync(POLICY_RC_D, '#!/bin/sh\nexit 101\n');
    chmodSync(POLICY_RC_D, 0o755);
  }
  try {
    fn();
  } finally {
    if (ours) rmSync(POLICY_RC_D, { force: true });
  }
}

function isSupervisord(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('supervisord');
  } catch {
    return false;
  }
}

/** Stops a system supervisord that a package install started despite the policy (found by its pidfile). */
function stopSystemSupervisord() {
  for (const pidfile of SYSTEM_PIDFILES) {
    if (!existsSync(pidfile)) continue;
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 1 || !isSupervisord(pid)) continue;
    log(`stopping the system supervisord (pid ${pid}) started by the package install`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Installs whatever of `names` (keys of SYSTEM_DEPS) is missing.
 * Throws with an explanation when something is missing and we are not root.
 */
export function ensureDeps(names = ['supervisor']) {
  const missing = names.map((name) => SYSTEM_DEPS[name]).filter((dep) => missingFiles(dep).length > 0);
  if (missing.length === 0) return;
  const packages = missing.map((dep) => dep.package);
  if (!isRoot()) {
    const files = missing.flatMap(missingFiles).join(', ');
    throw new Error(
      `missing ${files}. Install the Debian package(s) first: sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  withServicesBlocked(() => {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
  });
  if (packages.includes('supervisor')) stopSystemSupervisord();
  const still = missing.flatMap(missingFiles);
  if (still.length > 0) throw new Error(`installed ${packages.join(' ')} but still missing ${still.join(', ')}`);
}

function namesFromArgs(args) {
  const names = ['supervisor'];
  for (const arg of args) {
    if (arg === '--chromium' || arg === 'chromium') names.push('chromium');
    else throw new Error(`unknown argument ${arg}; usage: node scripts/ensure-deps.js [--chromium]`);
  }
  return names;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureDeps(namesFromArgs(process.argv.slice(2)));
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
