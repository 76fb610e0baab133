import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatStopTime } from '../../node-agent/process/describe.js';
import { harness, sleep } from './harness.js';

describe('Subprocess lifecycle (compat spec §2.2)', { concurrency: true }, () => {
  it('STOPPED → STARTING → RUNNING after startsecs, then stop → STOPPING → STOPPED by SIGTERM', async () => {
    const h = harness({ command: 'sleep 30', startsecs: 1 });
    try {
      const began = Date.now();
      assert.equal(h.proc.info().description, 'Not started');
      assert.equal(h.proc.spawn(), undefined);
      assert.equal(h.proc.state, 'STARTING');
      assert.ok(h.proc.pid > 0);
      const pid = h.proc.pid;
      assert.equal(h.proc.info().description, '');
      await h.waitState('RUNNING');
      assert.ok(Date.now() - began >= 1000, 'RUNNING only after startsecs');
      assert.match(h.proc.info().description, new RegExp(`^pid ${pid}, uptime 0:00:0[12]$`));
      assert.equal(h.proc.backoff, 0);

      assert.equal(h.proc.stop(), undefined);
      assert.equal(h.proc.state, 'STOPPING');
      await h.waitState('STOPPED');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>STOPPING', 'STOPPING>STOPPED']);
      // As in supervisord, STARTING is entered before the fork; later events still see the pid.
      assert.deepEqual(h.pids, [0, pid, pid, pid]);
      assert.equal(h.proc.pid, 0);
      const info = h.proc.info();
      assert.equal(info.exitstatus, -1);
      assert.equal(info.statename, 'STOPPED');
      assert.equal(info.state, 0);
      assert.equal(info.description, formatStopTime(info.stop));
      assert.match(info.description, /^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);
      assert.equal(info.group, 'grp');
      assert.equal(info.stdout_logfile, join(h.dir, 'out.log'));
      assert.equal(info.logfile, info.stdout_logfile);
      assert.equal(info.stderr_logfile, join(h.dir, 'err.log'));
      assert.match(
        h.logger.text(),
        new RegExp(
          `INFO spawned: 'p' with pid ${pid}\n` +
            `INFO success: p entered RUNNING state, process has stayed up for > than 1 seconds \\(startsecs\\)\n` +
            `(DEBG .*\n)*WARN stopped: p \\(terminated by SIGTERM\\)\n`,
        ),
      );
    } finally {
      await h.cleanup();
    }
  });

  it('startsecs=0: an immediate exit goes RUNNING → EXITED, never BACKOFF', async () => {
    const h = harness({ command: '/bin/sh -c "exit 0"', startsecs: 0, autorestart: 'false' });
    try {
      h.proc.spawn();
      assert.equal(h.proc.state, 'RUNNING', 'RUNNING right after spawn');
      await h.waitState('EXITED');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED']);
      assert.equal(h.proc.lastExitExpected, true);
      assert.equal(h.proc.exitstatus, 0);
      assert.equal(h.proc.spawnerr, '');
      assert.match(h.logger.text(), /INFO exited: p \(exit status 0; expected\)\n/);
    } finally {
      await h.cleanup();
    }
  });

  it('startretries=2: three attempts with 1 s and 2 s backoff, then FATAL', async () => {
    const h = harness({ command: '/bin/sh -c "echo attempt; exit 1"', startsecs: 1, startretries: 2 });
    try {
      h.proc.spawn();
      await h.waitState('FATAL');
      assert.deepEqual(h.transitions, [
        'STOPPED>STARTING',
        'STARTING>BACKOFF',
        'BACKOFF>STARTING',
        'STARTING>BACKOFF',
        'BACKOFF>STARTING',
        'STARTING>BACKOFF',
        'BACKOFF>FATAL',
      ]);
      assert.deepEqual(h.tries, [0, 1, 1, 2, 2, 3, 0]);
      const starts = h.times.filter((_, i) => h.transitions[i].endsWith('>STARTING'));
      assert.ok(starts[1] - starts[0] >= 950, 'first retry after 1 s');
      assert.ok(starts[2] - starts[1] >= 1950, 'second retry after 2 s');
      assert.equal(h.proc.backoff, 0, 'reset on FATAL');
      const text = h.logger.text();
      assert.equal(text.match(/INFO spawned: 'p' with pid \d+\n/g)?.length, 3);
      assert.equal(text.match(/WARN exited: p \(exit status 1; not expected\)\n/g)?.length, 3);
      assert.match(text, /INFO gave up: p entered FATAL state, too many start retries too quickly\n$/);
      const info = h.proc.info();
      assert.equal(info.description, 'Exited too quickly (process log may have details)');
      assert.equal(info.exitstatus, 0);
      assert.equal(h.stdoutText(), 'attempt\nattempt\nattempt\n');
    } finally {
      await h.cleanup();
    }
  });

  it('autorestart=unexpected restarts on codes outside exitcodes only', async () => {
    const h = harness({ command: '/bin/sh -c "exit 3"', startsecs: 0 });
    const counter = harness({ command: 'unused' }); // only for a scratch dir
    const file = join(counter.dir, 'n');
    const h2 = harness({
      command: `/bin/sh -c 'n=$(cat ${file} 2>/dev/null || echo 0); echo $((n+1)) > ${file}; [ $n -ge 2 ] && exit 0; exit 3'`,
      startsecs: 0,
    });
    try {
      h2.proc.spawn();
      await h2.proc.waitFor((s) => s === 'EXITED' && h2.proc.lastExitExpected);
      await sleep(200);
      assert.equal(h2.proc.state, 'EXITED', 'an expected exit is not restarted');
      assert.equal(h2.transitions.filter((t) => t === 'RUNNING>EXITED').length, 3);
      assert.equal(h2.logger.text().match(/WARN exited: p \(exit status 3; not expected\)\n/g)?.length, 2);

      // exit 3 listed in exitcodes: expected, no restart.
      const h3 = harness({ command: '/bin/sh -c "exit 3"', startsecs: 0, exitcodes: [0, 3] });
      try {
        h3.proc.spawn();
        await h3.waitState('EXITED');
        await sleep(200);
        assert.deepEqual(h3.transitions, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED']);
        assert.equal(h3.proc.lastExitExpected, true);
        assert.equal(h3.proc.exitstatus, 3);
      } finally {
        await h3.cleanup();
      }

      // autorestart=false: an unexpected exit stays EXITED with its spawnerr.
      const h4 = harness({ command: '/bin/sh -c "exit 3"', startsecs: 0, autorestart: 'false' });
      try {
        h4.proc.spawn();
        await h4.waitState('EXITED');
        await sleep(200);
        assert.equal(h4.proc.state, 'EXITED');
        assert.equal(h4.proc.lastExitExpected, false);
        assert.equal(h4.proc.spawnerr, 'Bad exit code 3');
      } finally {
        await h4.cleanup();
      }
    } finally {
      await Promise.all([h.cleanup(), h2.cleanup(), counter.cleanup()]);
    }
  });

  it('autorestart=true restarts even expected exits, but not while shutting down', async () => {
    const h = harness({ command: '/bin/sh -c "exit 0"', startsecs: 0, autorestart: 'true' });
    try {
      h.proc.spawn();
      await h.proc.waitFor(() => h.transitions.filter((t) => t === 'RUNNING>EXITED').length >= 2);
      h.proc.setShuttingDown(true);
      await h.proc.waitFor((s) => s === 'EXITED');
      const count = h.transitions.length;
      await sleep(200);
      assert.equal(h.proc.state, 'EXITED');
      assert.equal(h.transitions.length, count, 'no restart during shutdown');
    } finally {
      await h.cleanup();
    }
  });

  it('death by signal: exitstatus -1, never expected', async () => {
    const h = harness({ command: '/bin/sh -c "kill -9 $$"', startsecs: 0, autorestart: 'false', exitcodes: [0, 9, 137] });
    try {
      h.proc.spawn();
      await h.waitState('EXITED');
      assert.equal(h.proc.exitstatus, -1);
      assert.equal(h.proc.lastExitExpected, false);
      assert.equal(h.proc.spawnerr, 'Bad exit code -1');
      assert.match(h.logger.text(), /WARN exited: p \(terminated by SIGKILL; not expected\)\n/);
    } finally {
      await h.cleanup();
    }
  });

  it('a manually stopped process is not restarted', async () => {
    const h = harness({ command: 'sleep 30', startsecs: 0, autorestart: 'true' });
    try {
      h.proc.spawn();
      h.proc.stop();
      await h.waitState('STOPPED');
      await sleep(300);
      assert.equal(h.proc.state, 'STOPPED');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>STOPPING', 'STOPPING>STOPPED']);
    } finally {
      await h.cleanup();
    }
  });

  it('stop in BACKOFF goes to STOPPED without a signal, and no retry follows', async () => {
    const h = harness({ command: '/bin/sh -c "exit 1"', startsecs: 1, startretries: 5 });
    try {
      h.proc.spawn();
      await h.waitState('BACKOFF');
      assert.equal(h.proc.stop(), undefined);
      assert.equal(h.proc.state, 'STOPPED');
      await sleep(1300);
      assert.equal(h.proc.state, 'STOPPED');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>BACKOFF', 'BACKOFF>STOPPED']);
    } finally {
      await h.cleanup();
    }
  });

  it('stopForShutdown: BACKOFF → FATAL, RUNNING → STOPPING → STOPPED', async () => {
    const failing = harness({ command: '/bin/sh -c "exit 1"', startsecs: 1, startretries: 5 });
    const running = harness({ command: 'sleep 30', startsecs: 0 });
    try {
      failing.proc.spawn();
      running.proc.spawn();
      await failing.waitState('BACKOFF');
      for (const p of [failing.proc, running.proc]) {
        p.setShuttingDown(true);
        p.stopForShutdown();
      }
      assert.equal(failing.proc.state, 'FATAL');
      assert.equal(failing.proc.backoff, 0);
      assert.equal(running.proc.state, 'STOPPING');
      await running.waitState('STOPPED');
    } finally {
      await Promise.all([failing.cleanup(), running.cleanup()]);
    }
  });

  it('dispose() cancels a pending retry', async () => {
    const h = harness({ command: '/bin/sh -c "exit 1"', startsecs: 1, startretries: 5 });
    try {
      h.proc.spawn();
      await h.waitState('BACKOFF');
      h.proc.dispose();
      await sleep(1300);
      assert.equal(h.proc.state, 'BACKOFF');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>BACKOFF']);
    } finally {
      await h.cleanup();
    }
  });

  it('a spawn() while running only warns', async () => {
    const h = harness({ command: 'sleep 30', startsecs: 0 });
    try {
      h.proc.spawn();
      const pid = h.proc.pid;
      assert.equal(h.proc.spawn(), undefined);
      assert.equal(h.proc.pid, pid);
      assert.match(h.logger.text(), /WARN process 'p' already running\n/);
    } finally {
      await h.cleanup();
    }
  });
});
