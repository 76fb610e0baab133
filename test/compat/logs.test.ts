/**
 * Compat spec §10 items 18, 19, 25, 46, 47: tail, maintail, clear and child
 * log rotation, through the real supervisorctl. One table per daemon kind.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, startDaemon, type Daemon } from '../helpers/daemon.js';
import { runScenario, type Scenario } from '../helpers/scenario.js';
import { USAGE } from './status-rows.js';

/** Ten 54-byte lines, one write each (the pause keeps writes apart so rotation points are exact). */
const TEN_LINES =
  'sh -c "for i in 10 11 12 13 14 15 16 17 18 19; do echo line $i 123456789012345678901234567890123456789012345; sleep 0.2; done; exec sleep 1000"';

const LOGS_CONF = `[program:p]
command=sh -c "echo hello; exec sleep 1000"
stdout_logfile={dir}/p.log
priority=100

[program:nolog]
command=/bin/sleep 1000
stderr_logfile=NONE
autostart=false
priority=200

[program:exit1]
command=sh -c "sleep 2; echo out; echo err >&2; exit 3"
autorestart=false
priority=300

[program:multi]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
autostart=false

[program:rot]
command=${TEN_LINES}
stdout_logfile={dir}/rot.log
stdout_logfile_maxbytes=120
stdout_logfile_backups=2

[program:rot0]
command=${TEN_LINES}
stdout_logfile={dir}/rot0.log
stdout_logfile_maxbytes=120
stdout_logfile_backups=0
`;

function line(n: number): string {
  return `line ${n} 123456789012345678901234567890123456789012345\n`;
}

function lines(from: number, to: number): string {
  let text = '';
  for (let n = from; n <= to; n++) text += line(n);
  return text;
}

function sizeOf(d: Daemon, name: string): number {
  return statSync(join(d.dir, name)).size;
}

/** Waits (polling the file) until it contains `text`. */
async function waitForFileText(path: string, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let content = '';
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      // not created yet
    }
    if (content.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`${path} never contained ${JSON.stringify(text)}; has ${JSON.stringify(content)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'tail: stdout, stderr, byte counts, bad channel, bad names, no log file (items 18, 19)',
    steps: [
      { ctl: 'tail exit1', stdout: 'out\n\n', code: 0 },
      { ctl: 'tail exit1 stdout', stdout: 'out\n\n', code: 0 },
      { ctl: 'tail -3 exit1', stdout: 'ut\n\n', code: 0 },
      { ctl: 'tail exit1 stderr', stdout: 'err\n\n', code: 0 },
      { ctl: 'tail exit1 foo', stdout: "Error: bad channel 'foo'\n", code: 1 },
      { ctl: 'tail -x exit1', stdout: 'Error: bad argument -x\n', code: 1 },
      { ctl: 'tail nosuch', stdout: 'nosuch: ERROR (no such process name)\n', code: 1 },
      { ctl: 'tail nolog stderr', stdout: 'nolog: ERROR (no log file)\n', code: 1 },
      { ctl: 'tail nolog', stdout: '\n', code: 0 },
      { ctl: 'tail', stdout: USAGE.tail, code: 1 },
      { ctl: 'tail -100 p', stdout: 'hello\n\n', code: 0 },
      { ctl: 'tail multi:multi_00', stdout: '\n', code: 0 },
    ],
  },
  {
    name: 'maintail: last bytes of the main log, bad argument',
    steps: [
      { ctl: 'stop multi:*', stdout: '', code: 0 },
      { ctl: 'start multi:multi_01', stdout: 'multi:multi_01: started\n', code: 0 },
      { ctl: 'stop multi:multi_01', stdout: 'multi:multi_01: stopped\n', code: 0 },
      { ctl: 'maintail -47', stdout: 'WARN stopped: multi_01 (terminated by SIGTERM)\n\n', code: 0 },
      { ctl: 'maintail x', stdout: 'Error: bad argument x\n', code: 1 },
    ],
  },
  {
    name: 'clear: stopped process keeps its log, running one is emptied, groups unsupported (items 25, 47)',
    steps: [
      { ctl: 'stop p', stdout: 'p: stopped\n', code: 0 },
      { action: 'p.log has 6 bytes', run: (d) => assert.equal(sizeOf(d, 'p.log'), 6) },
      { ctl: 'clear p', stdout: 'p: cleared\n', code: 0 },
      { action: 'p.log still has 6 bytes', run: (d) => assert.equal(sizeOf(d, 'p.log'), 6) },
      { ctl: 'start p', stdout: 'p: started\n', code: 0 },
      { action: 'p.log has 12 bytes', run: (d) => waitForFileText(join(d.dir, 'p.log'), 'hello\nhello\n') },
      { ctl: 'clear p', stdout: 'p: cleared\n', code: 0 },
      { action: 'p.log is empty', run: (d) => assert.equal(sizeOf(d, 'p.log'), 0) },
      { ctl: 'clear multi:*', stdout: 'multi:None: ERROR (no such process)\n', code: 1 },
      { ctl: 'clear nosuch', stdout: 'nosuch: ERROR (no such process)\n', code: 1 },
      { ctl: 'clear', stdout: USAGE.clear, code: 1 },
      {
        ctl: 'clear all',
        stdout:
          'p: cleared\nnolog: cleared\nexit1: cleared\nmulti:multi_00: cleared\nmulti:multi_01: cleared\n' +
          'rot: cleared\nrot0: cleared\n',
        code: 0,
      },
    ],
  },
];

const ROTATION: Scenario = {
  name: 'rotation: maxbytes=120 with 2 backups, and with none (item 46)',
  steps: [
    {
      action: 'rot.log, rot.log.1, rot.log.2 hold the last ten lines in 54/162/162 bytes',
      run: (d) => {
        assert.equal(readFileSync(join(d.dir, 'rot.log'), 'utf8'), line(19));
        assert.equal(readFileSync(join(d.dir, 'rot.log.1'), 'utf8'), lines(16, 18));
        assert.equal(readFileSync(join(d.dir, 'rot.log.2'), 'utf8'), lines(13, 15));
        assert.deepEqual(
          readdirSync(d.dir).filter((f) => f.startsWith('rot.')),
          ['rot.log', 'rot.log.1', 'rot.log.2'],
        );
      },
    },
    {
      action: 'rot0.log only holds the data after the last truncation',
      run: (d) => {
        assert.equal(readFileSync(join(d.dir, 'rot0.log'), 'utf8'), line(19));
        assert.deepEqual(
          readdirSync(d.dir).filter((f) => f.startsWith('rot0.')),
          ['rot0.log'],
        );
      },
    },
  ],
};

for (const kind of daemonKinds()) {
  describe(`supervisorctl against ${kind}: tail, maintail, clear, rotation`, () => {
    let daemon: Daemon | undefined;
    before(async () => {
      daemon = await startDaemon(kind, LOGS_CONF);
      await daemon.waitForStates({ p: 'RUNNING', exit1: 'EXITED', rot: 'RUNNING', rot0: 'RUNNING' }, 20_000);
      await waitForFileText(join(daemon.dir, 'rot.log'), 'line 19');
      await waitForFileText(join(daemon.dir, 'rot0.log'), 'line 19');
    });
    after(() => daemon?.stop());

    // Rotation is checked first: `clear all` below empties the logs.
    for (const scenario of [ROTATION, ...SCENARIOS]) {
      test(scenario.name, async () => {
        assert.ok(daemon, 'daemon did not start');
        await runScenario(daemon, scenario);
      });
    }
  });
}
