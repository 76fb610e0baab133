/**
 * A MOCK hub for working on the overview without agents: the benchmark's
 * synthetic server (bench/web-fleet-hub.ts) with a made-up fleet and live
 * state changes. Read-only: no login, operations or history routes. For the
 * real thing use web/dev/real-fleet.ts.
 *
 *   node web/build.mjs --dev && node --import tsx web/dev/mock-hub.ts [hosts] [perHost] [changesPerSecond]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSyntheticHub } from '../../bench/web-fleet-hub.js';

const [hosts = 12, perHost = 8, rate = 5] = process.argv.slice(2).map(Number);
const webDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'web');
const hub = await startSyntheticHub({ hosts, perHost, rate, webDir });
console.log(`mock hub (synthetic data, not the real hub) at ${hub.url}/`);
process.on('SIGINT', () => void hub.close().then(() => process.exit(0)));
