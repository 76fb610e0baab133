/**
 * Scenario 8: tailProcessStdoutLog of 64 KiB from the end of a 100 MiB log.
 * The log is written directly before the daemon starts (the daemon opens it
 * for appending), so only the tail path is measured.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TailResult } from '../../node-agent/api/types.js';
import { Daemon, DaemonHome, section } from '../daemons.js';
import { median } from '../measure.js';
import { atMostTimesSupervisord, type Scenario } from '../scenario.js';

const MIB = 1024 * 1024;
const TAIL_BYTES = 64 * 1024;

function writeLog(path: string, mib: number): void {
  const chunk = Buffer.from(`${'y'.repeat(63)}\n`.repeat(MIB / 64));
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mib; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export const logTailScenario: Scenario = {
  id: 'log-tail',
  title: 'tailProcessStdoutLog of 64 KiB on a 100 MiB log',
  method:
    'A 100 MiB stdout log (64-byte lines, written before the daemon starts; stdout_logfile_maxbytes=0) of a running ' +
    '`/bin/sleep 600`; tailProcessStdoutLog(name, 0, 65536) called back to back on one connection, 100 calls per ' +
    'round (30 with --quick), 3 rounds (1); the sample is a round\'s median call time. Target from the issue: no slower ' +
    'than supervisord (measured ~1 ms).',
  metrics: [{ id: 'tail', label: 'tailProcessStdoutLog 64 KiB', unit: 'ms', better: 'lower', target: atMostTimesSupervisord(1) }],
  timeoutMs: 180_000,
  async run(kind, ctx, samples) {
    const home = new DaemonHome(kind);
    const logPath = home.path('tailed.log');
    const mib = 100;
    writeLog(logPath, mib);
    const daemon = ctx.own(
      await Daemon.launch(home, {
        sections: [
          section('program:tailed', {
            command: '/bin/sleep 600',
            startsecs: 0,
            stdout_logfile: logPath,
            stdout_logfile_maxbytes: 0,
            stdout_logfile_backups: 0,
            stderr_logfile: home.path('tailed.err'),
          }),
        ],
      }),
    );
    const tail = (): Promise<TailResult> => daemon.call<TailResult>('supervisor.tailProcessStdoutLog', ['tailed', 0, TAIL_BYTES]);
    const [text, offset, overflow] = await tail();
    if (text.length !== TAIL_BYTES || offset !== mib * MIB || overflow !== true) {
      throw new Error(`tail answered ${text.length} chars, offset ${offset}, overflow ${overflow}; expected ${TAIL_BYTES}, ${mib * MIB}, true`);
    }
    for (let i = 0; i < 5; i++) await tail();
    for (let round = 0; round < ctx.pick(3, 1); round++) {
      const times: number[] = [];
      for (let call = 0; call < ctx.pick(100, 30); call++) {
        const started = performance.now();
        await tail();
        times.push(performance.now() - started);
      }
      samples.add('tail', median(times));
    }
  },
};
