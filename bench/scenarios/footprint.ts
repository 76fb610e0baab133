/**
 * Scenario 5: the daemon's resident memory and idle CPU with 200 children
 * RUNNING (the same shared daemon as the call-rate scenarios).
 */
import { cpuSeconds, rssMiB } from '../proc.js';
import { sleep } from '../measure.js';
import { atMost, atMostTimesSupervisord, type Scenario } from '../scenario.js';
import { runningFleet, FLEET_KEY } from './rpc-rate.js';
import { FLEET_SIZE } from './spawn.js';

export const footprintScenario: Scenario = {
  id: 'footprint',
  title: `Daemon RSS and idle CPU, ${FLEET_SIZE} children`,
  method:
    `On the daemon with ${FLEET_SIZE} children RUNNING (after the call-rate scenarios, when run together), 1 s to settle, ` +
    `then utime+stime from /proc/<pid>/stat over 10 s (3 s with --quick) of no calls, as % of one core; VmRSS from ` +
    `/proc/<pid>/status at the end of that window. Target from the issue: RSS ≤ 60 MiB (supervisord measured 34 MB), idle CPU ≤ supervisord's.`,
  metrics: [
    { id: 'rss', label: 'daemon RSS', unit: 'MiB', better: 'lower', target: atMost(60, 'MiB') },
    { id: 'idleCpu', label: 'daemon idle CPU', unit: '% core', better: 'lower', target: atMostTimesSupervisord(1) },
  ],
  shares: [FLEET_KEY],
  timeoutMs: 240_000,
  async run(kind, ctx, samples) {
    const daemon = await runningFleet(kind, ctx);
    await sleep(1_000);
    const windowMs = ctx.pick(10_000, 3_000);
    const cpuBefore = cpuSeconds(daemon.pid);
    const started = performance.now();
    await sleep(windowMs);
    const cpuUsed = cpuSeconds(daemon.pid) - cpuBefore;
    const elapsed = (performance.now() - started) / 1000;
    samples.add('idleCpu', (100 * cpuUsed) / elapsed);
    samples.add('rss', rssMiB(daemon.pid));
  },
};
