/**
 * Compat spec §10 items 1–17, 20, 26 (status, start, stop, restart, signal,
 * pid, avail, version) through the real supervisorctl, on the §10 fixture.
 * One table, run against every daemon kind (see helpers/kinds.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, startDaemon, type Daemon } from '../helpers/daemon.js';
import { mainLogLines } from '../helpers/normalize.js';
import { runScenario, type Scenario } from '../helpers/scenario.js';
import { FIXTURE_CONF, FIXTURE_FILES, FIXTURE_SETTLED } from './fixture.js';
import { availRow, running, statusRow, USAGE } from './status-rows.js';

const NOT_STARTED = 'Not started';
const TOO_QUICK = 'Exited too quickly (process log may have details)';

const FULL_STATUS =
  statusRow('exit1', 'EXITED', 'DATE') +
  statusRow('grp:manual', 'STOPPED', NOT_STARTED) +
  running('multi:multi_00') +
  running('multi:multi_01') +
  statusRow('noexec', 'STOPPED', NOT_STARTED) +
  statusRow('notfound', 'STOPPED', NOT_STARTED) +
  statusRow('quick', 'FATAL', TOO_QUICK) +
  running('sleeper');

/** `start all` after `stop all`, lines sorted. */
const START_ALL =
  'exit1: started\ngrp:manual: started\nmulti:multi_00: started\nmulti:multi_01: started\n' +
  'noexec: ERROR (file is not executable)\nnotfound: ERROR (no such file)\nquick: ERROR (spawn error)\nsleeper: started\n';

/** `restart all` with exit1 and quick already stopped, lines sorted. */
const RESTART_ALL =
  'exit1: started\ngrp:manual: started\ngrp:manual: stopped\n' +
  'multi:multi_00: started\nmulti:multi_00: stopped\nmulti:multi_01: started\nmulti:multi_01: stopped\n' +
  'noexec: ERROR (file is not executable)\nnotfound: ERROR (no such file)\nquick: ERROR (spawn error)\n' +
  'sleeper: started\nsleeper: stopped\n';

/** supervisord itself says abnormal termination instead of spawn error when quick's retry wins the race. */
function abnormalQuick(output: string): string {
  return output.replace('quick: ERROR (spawn error)', 'quick: ERROR (abnormal termination)');
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'status: every process, one name, bad names, groups (items 1, 3-6)',
    steps: [
      { ctl: 'status', stdout: FULL_STATUS, code: 3 },
      { ctl: 'status all', stdout: FULL_STATUS, code: 3 },
      { ctl: 'status sleeper', stdout: running('sleeper'), code: 0 },
      { ctl: 'status nosuch', stdout: 'nosuch: ERROR (no such process)\n', code: 4 },
      { ctl: 'status nosuch:*', stdout: 'nosuch: ERROR (no such group)\n', code: 4 },
      { ctl: 'status sleeper nosuch', stdout: 'nosuch: ERROR (no such process)\n' + running('sleeper'), code: 4 },
      { ctl: 'status exit1', stdout: statusRow('exit1', 'EXITED', 'DATE'), code: 3 },
      { ctl: 'status grp:manual', stdout: statusRow('grp:manual', 'STOPPED', NOT_STARTED), code: 3 },
      { ctl: 'status multi:*', stdout: running('multi:multi_00') + running('multi:multi_01'), code: 0 },
    ],
  },
  {
    name: 'main log: quick is spawned three times, then gives up (item 2)',
    steps: [
      {
        action: 'check the main log',
        run: (d) => {
          const quickLines = mainLogLines(d.mainLog(), d.dir).filter((l) => /'quick'|quick entered|: quick /.test(l));
          assert.deepEqual(quickLines.slice(0, 7), [
            "INFO spawned: 'quick' with pid PID",
            'WARN exited: quick (exit status 0; not expected)',
            "INFO spawned: 'quick' with pid PID",
            'WARN exited: quick (exit status 0; not expected)',
            "INFO spawned: 'quick' with pid PID",
            'WARN exited: quick (exit status 0; not expected)',
            'INFO gave up: quick entered FATAL state, too many start retries too quickly',
          ]);
          const lines = mainLogLines(d.mainLog(), d.dir);
          assert.ok(lines.includes("INFO spawned: 'sleeper' with pid PID"), lines.join('\n'));
          assert.ok(
            lines.includes('INFO success: sleeper entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)'),
            lines.join('\n'),
          );
          assert.ok(lines.includes('WARN exited: exit1 (exit status 3; not expected)'), lines.join('\n'));
        },
      },
    ],
  },
  {
    name: 'start: already started, no such file, not executable, spawn error, bad names (items 7-12)',
    steps: [
      { ctl: 'start sleeper', stdout: 'sleeper: ERROR (already started)\n', code: 0 },
      { ctl: 'start notfound', stdout: 'notfound: ERROR (no such file)\n', code: 1 },
      {
        rpc: 'supervisor.startProcess',
        params: ['notfound'],
        fault: { faultCode: 20, faultString: "NO_FILE: can't find command '/nonexistent/bin'" },
      },
      { ctl: 'start noexec', stdout: 'noexec: ERROR (file is not executable)\n', code: 1 },
      {
        rpc: 'supervisor.startProcess',
        params: ['noexec'],
        fault: { faultCode: 21, faultString: "NOT_EXECUTABLE: command at '{dir}/noexec.sh' is not executable" },
      },
      { ctl: 'start nosuch', stdout: 'nosuch: ERROR (no such process)\n', code: 1 },
      { ctl: 'start nosuch:*', stdout: 'nosuch: ERROR (no such group)\n', code: 2 },
      {
        ctl: 'start nosuch:* sleeper',
        stdout: 'nosuch: ERROR (no such group)\nsleeper: ERROR (already started)\n',
        code: 2,
      },
      { ctl: 'start', stdout: USAGE.start, code: 2 },
      { ctl: 'start multi:*', stdout: '', code: 0 },
      { rpc: 'supervisor.startProcessGroup', params: ['multi'], result: [] },
      {
        ctl: 'start quick',
        stdout: 'quick: ERROR (spawn error)\n',
        orStdout: [abnormalQuick('quick: ERROR (spawn error)\n')],
        code: 7,
      },
      { waitFor: { quick: 'FATAL' } },
      { rpc: 'supervisor.startProcess', params: ['quick'], fault: { faultCode: 50, faultString: 'SPAWN_ERROR: quick' } },
      { waitFor: { quick: 'FATAL' } },
    ],
  },
  {
    name: 'stop and restart: one process, a group, bad names (items 13-15)',
    steps: [
      { ctl: 'stop sleeper', stdout: 'sleeper: stopped\n', code: 0 },
      { ctl: 'stop sleeper', stdout: 'sleeper: ERROR (not running)\n', code: 0 },
      { ctl: 'stop nosuch', stdout: 'nosuch: ERROR (no such process)\n', code: 1 },
      { ctl: 'stop nosuch:*', stdout: 'nosuch: ERROR (no such group)\n', code: 1 },
      { ctl: 'stop', stdout: USAGE.stop, code: 1 },
      { ctl: 'restart sleeper', stdout: 'sleeper: ERROR (not running)\nsleeper: started\n', code: 0 },
      { ctl: 'status sleeper', stdout: running('sleeper'), code: 0 },
      { ctl: 'restart nosuch', stdout: 'nosuch: ERROR (no such process)\nnosuch: ERROR (no such process)\n', code: 1 },
      { ctl: 'restart', stdout: USAGE.restart, code: 1 },
      {
        // stops are reported in completion order
        ctl: 'restart multi:*',
        stdout: 'multi:multi_00: started\nmulti:multi_00: stopped\nmulti:multi_01: started\nmulti:multi_01: stopped\n',
        code: 0,
        sortLines: true,
      },
      { ctl: 'stop grp:*', stdout: '', code: 0 },
      { ctl: 'start grp:*', stdout: 'grp:manual: started\n', code: 0 },
      { ctl: 'restart grp:*', stdout: 'grp:manual: stopped\ngrp:manual: started\n', code: 0 },
      { ctl: 'stop grp:manual', stdout: 'grp:manual: stopped\n', code: 0 },
      { ctl: 'status grp:manual', stdout: statusRow('grp:manual', 'STOPPED', 'DATE'), code: 3 },
    ],
  },
  {
    name: 'signal: bad signal, not running, group, all (item 16)',
    steps: [
      { ctl: 'signal FOO sleeper', stdout: 'sleeper: ERROR (bad signal name)\n', code: 1 },
      { ctl: 'signal HUP notfound', stdout: 'notfound: ERROR (not running)\n', code: 7 },
      { ctl: 'signal CONT sleeper', stdout: 'sleeper: signalled\n', code: 0 },
      { ctl: 'signal CONT nosuch', stdout: 'nosuch: ERROR (no such process)\n', code: 1 },
      { ctl: 'signal CONT multi:*', stdout: 'multi:multi_00: signalled\nmulti:multi_01: signalled\n', code: 0 },
      {
        ctl: 'signal CONT all',
        stdout: 'multi:multi_00: signalled\nmulti:multi_01: signalled\nsleeper: signalled\n',
        code: 0,
      },
      { ctl: 'signal HUP', stdout: USAGE.signal, code: 1 },
      { ctl: 'status sleeper', stdout: running('sleeper'), code: 0 },
    ],
  },
  {
    name: 'pid: daemon, process, stopped, unknown, all (item 17)',
    steps: [
      { ctl: 'pid', stdout: 'PID\n', code: 0, barePids: true },
      {
        action: 'pid is the daemon pid',
        run: async (d) => assert.equal((await d.ctl(['pid'])).stdout, `${d.pid}\n`),
      },
      { ctl: 'pid sleeper', stdout: 'PID\n', code: 0, barePids: true },
      { ctl: 'pid notfound', stdout: '0\n', code: 7 },
      { ctl: 'pid nosuch', stdout: 'No such process nosuch\n', code: 1 },
      { ctl: 'pid multi:*', stdout: 'No such process multi:*\n', code: 1 },
      // exit1, grp:manual, multi_00, multi_01, noexec, notfound, quick, sleeper
      { ctl: 'pid all', stdout: '0\n0\nPID\nPID\n0\n0\n0\nPID\n', code: 0, barePids: true },
    ],
  },
  {
    name: 'avail, version, unknown commands (items 20, 26)',
    steps: [
      {
        ctl: 'avail',
        stdout:
          availRow('exit1', true, true) +
          availRow('grp:manual', true, false) +
          availRow('multi:multi_00', true, true) +
          availRow('multi:multi_01', true, true) +
          availRow('noexec', true, false) +
          availRow('notfound', true, false) +
          availRow('quick', true, true) +
          availRow('sleeper', true, true),
        code: 0,
      },
      { ctl: 'version', stdout: '4.2.5\n', code: 0 },
      { ctl: 'version x', stdout: USAGE.version, code: 1 },
      { ctl: 'foo', stdout: '*** Unknown syntax: foo\n', code: 1 },
      { ctl: 'help foo', stdout: '*** No help on foo\n', code: 0 },
    ],
  },
  {
    name: 'stop all, start all, restart all',
    steps: [
      {
        ctl: 'stop all',
        stdout: 'multi:multi_00: stopped\nmulti:multi_01: stopped\nsleeper: stopped\n',
        code: 0,
        sortLines: true,
      },
      { ctl: 'stop all', stdout: '', code: 0 },
      // waited outcomes arrive in completion order, so these compare as sorted lines
      { ctl: 'start all', stdout: START_ALL, orStdout: [abnormalQuick(START_ALL)], code: 7, sortLines: true },
      { waitFor: { quick: 'FATAL', exit1: 'EXITED' } },
      { ctl: 'restart all', stdout: RESTART_ALL, orStdout: [abnormalQuick(RESTART_ALL)], code: 7, sortLines: true },
      { waitFor: { quick: 'FATAL', sleeper: 'RUNNING', 'grp:manual': 'RUNNING' } },
    ],
  },
];

for (const kind of daemonKinds()) {
  describe(`supervisorctl against ${kind}: status, start, stop, restart, signal, pid`, () => {
    let daemon: Daemon | undefined;
    before(async () => {
      daemon = await startDaemon(kind, FIXTURE_CONF, { files: FIXTURE_FILES });
      await daemon.waitForStates(FIXTURE_SETTLED, 20_000);
    });
    after(() => daemon?.stop());

    for (const scenario of SCENARIOS) {
      test(scenario.name, async () => {
        assert.ok(daemon, 'daemon did not start');
        await runScenario(daemon, scenario);
      });
    }
  });
}
