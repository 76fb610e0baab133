/**
 * Headless Chromium for browser tests, driven by playwright-core. Uses the
 * system chromium (/usr/bin/chromium); when it is missing and we are root it
 * is installed with scripts/ensure-deps.js, otherwise launching fails (a
 * browser test never skips silently).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './kinds.js';

export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Makes sure /usr/bin/chromium exists, installing it when we can. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (!isRoot()) {
    throw new Error(`${CHROMIUM} is missing; install it with: sudo node scripts/ensure-deps.js --chromium`);
  }
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ensure-deps.js'), '--chromium'], {
    stdio: 'inherit',
  });
  if (result.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`scripts/ensure-deps.js --chromium failed (exit ${result.status}); ${CHROMIUM} is still missing`);
  }
}

export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Where screenshots go: $FLEETVISOR_SCREENSHOTS when set, else a fresh temp dir. */
export function screenshotDir(): string {
  const wanted = process.env.FLEETVISOR_SCREENSHOTS;
  if (wanted !== undefined && wanted !== '') {
    mkdirSync(wanted, { recursive: true });
    return wanted;
  }
  return mkdtempSync(join(tmpdir(), 'fv-screenshots-'));
}
