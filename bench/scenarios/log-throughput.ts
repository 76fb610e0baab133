/**
 * Scenario 6: one child writes 200 MiB to stdout; the daemon copies it to
 * stdout_logfile (logfile_maxbytes=0, so no rotation). Measures the time from
 * startProcess until the file holds all of it, and the daemon's CPU meanwhile.
 */
import { stat } from 'node:fs/promises';
import { Daemon, DaemonHome, REPO_ROOT, section, type DaemonKind } from '../daemons.js';
import { sleep } from '../measure.js';
import { cpuSeconds } from '../proc.js';
import { atLeastTimesSupervisord, atMostTimesSupervisord, type RunContext, type Scenario } from '../scenario.js';

const MIB = 1024 * 1024;
const PRODUCER = `${REPO_ROOT}/bench/log-producer.py`;

interface Copy {
  mibPerSecond: number;
  daemonCpuSeconds: number;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function copyOnce(kind: DaemonKind, ctx: RunContext, mib: number): Promise<Copy> {
  const home = new DaemonHome(kind);
  const logPath = home.path('writer.log');
  const bytes = mib * MIB;
  const daemon = ctx.own(
    await Daemon.launch(home, {
      sections: [
        section('program:writer', {
          command: `/usr/bin/python3 ${PRODUCER} ${bytes}`,
          autostart: false,
          autorestart: false,
          startsecs: 0,
          stdout_logfile: logPath,
          stdout_logfile_maxbytes: 0,
          stdout_logfile_backups: 0,
          stderr_logfile: home.path('writer.err'),
        }),
      ],
    }),
  );
  const cpuBefore = cpuSeconds(daemon.pid);
  const started = performance.now();
  await daemon.call('supervisor.startProcess', ['writer', false]);
  const deadline = started + 120_000;
  let size = 0;
  while ((size = await fileSize(logPath)) < bytes) {
    if (daemon.exited !== undefined) throw new Error(daemon.exited);
    if (performance.now() > deadline) throw new Error(`the log holds ${(size / MIB).toFixed(1)} of ${mib} MiB after 120 s`);
    await sleep(5);
  }
  const seconds = (performance.now() - started) / 1000;
  const daemonCpuSeconds = cpuSeconds(daemon.pid) - cpuBefore;
  if (size !== bytes) throw new Error(`the log holds ${size} bytes, expected ${bytes}`);
  daemon.kill();
  return { mibPerSecond: mib / seconds, daemonCpuSeconds };
}

export const logThroughputScenario: Scenario = {
  id: 'log-throughput',
  title: 'Log throughput: one child writes 200 MiB to stdout',
  method:
    'A program (`bench/log-producer.py`, 1 MiB writes of 64-byte lines) with stdout_logfile in the temp dir and ' +
    'stdout_logfile_maxbytes=0, started by startProcess(wait=false); time until the file has grown to 200 MiB ' +
    '(stat every 5 ms), and the daemon\'s utime+stime over that time. 3 runs (1 with --quick, 64 MiB), a fresh daemon each, ' +
    'alternating fleetvisord and supervisord run by run. ' +
    'Target from the issue: ≥ 1.3× supervisord\'s throughput (supervisord measured ~450 MiB/s) at no more daemon CPU (~0.43 s).',
  metrics: [
    { id: 'throughput', label: 'stdout → log file', unit: 'MiB/s', better: 'higher', target: atLeastTimesSupervisord(1.3) },
    { id: 'cpu', label: 'daemon CPU while copying', unit: 's', better: 'lower', target: atMostTimesSupervisord(1) },
  ],
  timeoutMs: 140_000,
  alternateRounds: { full: 3, quick: 1 },
  async run(kind, ctx, samples) {
    const copy = await copyOnce(kind, ctx, ctx.pick(200, 64));
    samples.add('throughput', copy.mibPerSecond);
    samples.add('cpu', copy.daemonCpuSeconds);
  },
};
