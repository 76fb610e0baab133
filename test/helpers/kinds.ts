/**
 * Which daemons the differential tests run against. supervisord always (it is
 * the reference); fleetvisord as soon as node-agent/main.ts exists.
 * FLEETVISOR_DIFF, when set, is the exact comma-separated list to run, e.g.
 * `FLEETVISOR_DIFF=fleetvisord` or `FLEETVISOR_DIFF=supervisord,fleetvisord`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type DaemonKind = 'supervisord' | 'fleetvisord';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FLEETVISORD_MAIN = join(REPO_ROOT, 'node-agent', 'main.ts');

export function fleetvisordBuilt(): boolean {
  return existsSync(FLEETVISORD_MAIN);
}

export function daemonKinds(): DaemonKind[] {
  const wanted = process.env.FLEETVISOR_DIFF;
  if (wanted !== undefined && wanted.trim() !== '') {
    const listed = wanted.split(',').map((k) => k.trim());
    const kinds = (['supervisord', 'fleetvisord'] as const).filter((k) => listed.includes(k));
    if (kinds.length > 0) return kinds;
  }
  return fleetvisordBuilt() ? ['supervisord', 'fleetvisord'] : ['supervisord'];
}
