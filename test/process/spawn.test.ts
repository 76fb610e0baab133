import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually, harness } from './harness.js';

describe('spawning (compat spec §2.3)', { concurrency: true }, () => {
  it('the child sees SUPERVISOR_* variables, the base env and its own environment on top', async () => {
    const h = harness({
      command: `/bin/sh -c 'echo "$SUPERVISOR_ENABLED|$SUPERVISOR_SERVER_URL|$SUPERVISOR_PROCESS_NAME|$SUPERVISOR_GROUP_NAME|$FV_BASE|$FOO"'`,
      name: 'envp',
      startsecs: 0,
      autorestart: 'false',
      environment: { FOO: 'bar', FV_BASE: 'override' },
    });
    const h2 = harness({
      command: `/bin/sh -c 'echo "$SUPERVISOR_SERVER_URL|$FV_BASE"'`,
      startsecs: 0,
      autorestart: 'false',
      serverurl: 'http://example:9001',
    });
    try {
      h.proc.spawn();
      h2.proc.spawn();
      await Promise.all([h.waitState('EXITED'), h2.waitState('EXITED')]);
      await eventually(() => h.stdoutText() !== '' && h2.stdoutText() !== '');
      assert.equal(h.stdoutText(), '1|unix:///tmp/fv-test.sock|envp|grp|override|bar\n');
      assert.equal(h2.stdoutText(), 'http://example:9001|base\n');
    } finally {
      await Promise.all([h.cleanup(), h2.cleanup()]);
    }
  });

  it('a bare argv0 is found on the program PATH', async () => {
    const h = harness({ command: 'placeholder' });
    const bin = join(h.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'mytool'), '#!/bin/sh\necho "args=$*"\n', { mode: 0o755 });
    const h2 = harness({ command: 'mytool a b', startsecs: 0, autorestart: 'false', environment: { PATH: `${bin}:/usr/bin:/bin` } });
    try {
      h2.proc.spawn();
      await h2.waitState('EXITED');
      await eventually(() => h2.stdoutText() !== '');
      assert.equal(h2.stdoutText(), 'args=a b\n');
      assert.equal(h2.proc.exitstatus, 0);
    } finally {
      await Promise.all([h.cleanup(), h2.cleanup()]);
    }
  });

  it('argv[0] stays as written in the command, not the resolved path', async () => {
    const h = harness({ command: `sh -c 'tr "\\0" " " < /proc/$$/cmdline'`, startsecs: 0, autorestart: 'false' });
    try {
      h.proc.spawn();
      await h.waitState('EXITED');
      await eventually(() => h.stdoutText() !== '');
      assert.ok(h.stdoutText().startsWith('sh -c '), h.stdoutText());
    } finally {
      await h.cleanup();
    }
  });

  it('directory and umask apply to the child; the daemon umask is restored', async () => {
    const h = harness({ command: 'placeholder' });
    const h2 = harness({
      command: `/bin/sh -c 'pwd; umask'`,
      startsecs: 0,
      autorestart: 'false',
      directory: h.dir,
      umask: 0o027,
    });
    const before = process.umask();
    try {
      h2.proc.spawn();
      assert.equal(process.umask(), before);
      await h2.waitState('EXITED');
      await eventually(() => h2.stdoutText().split('\n').length === 3);
      assert.equal(h2.stdoutText(), `${realpathSync(h.dir)}\n0027\n`);
    } finally {
      await Promise.all([h.cleanup(), h2.cleanup()]);
    }
  });

  it('redirect_stderr: fd 2 is the stdout pipe, both land in the stdout log', async () => {
    const h = harness({
      command: `/bin/sh -c 'echo out; echo err >&2; [ "$(readlink /proc/$$/fd/1)" = "$(readlink /proc/$$/fd/2)" ] && echo same'`,
      startsecs: 0,
      autorestart: 'false',
      redirectStderr: true,
    });
    try {
      h.proc.spawn();
      await h.waitState('EXITED');
      await eventually(() => h.stdoutText().endsWith('same\n'));
      assert.equal(h.stdoutText(), 'out\nerr\nsame\n');
      assert.equal(h.stderrText(), '');
      assert.equal(h.output.stderr.length, 0);
      assert.equal(h.proc.info().stderr_logfile, '');
    } finally {
      await h.cleanup();
    }
  });

  it('stdout and stderr go to their own logs and to onOutput', async () => {
    const h = harness({ command: `/bin/sh -c 'echo out; echo err >&2'`, startsecs: 0, autorestart: 'false' });
    try {
      h.proc.spawn();
      await h.waitState('EXITED');
      await eventually(() => h.stdoutText() === 'out\n' && h.stderrText() === 'err\n');
      assert.equal(Buffer.concat(h.output.stdout).toString(), 'out\n');
      assert.equal(Buffer.concat(h.output.stderr).toString(), 'err\n');
    } finally {
      await h.cleanup();
    }
  });

  it('pre-fork check failures: spawnerr, INFO log, BACKOFF then FATAL; checkCommand gives the fault', async () => {
    const h = harness({ command: '/nonexistent/bin', startretries: 0 });
    try {
      assert.deepEqual(h.proc.checkCommand(), { fault: 'NO_FILE', message: "can't find command '/nonexistent/bin'" });
      assert.equal(h.proc.spawn(), "can't find command '/nonexistent/bin'");
      assert.equal(h.proc.state, 'FATAL');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>BACKOFF', 'BACKOFF>FATAL']);
      assert.equal(
        h.logger.text(),
        "INFO spawnerr: can't find command '/nonexistent/bin'\n" +
          'INFO gave up: p entered FATAL state, too many start retries too quickly\n',
      );
      const info = h.proc.info();
      assert.equal(info.spawnerr, "can't find command '/nonexistent/bin'");
      assert.equal(info.description, "can't find command '/nonexistent/bin'");
      assert.ok(info.start > 0, 'laststart is set even though nothing ran');
    } finally {
      await h.cleanup();
    }
    for (const [command, fault, message] of [
      ['', 'NOT_EXECUTABLE', 'command is empty'],
      ['"oops', 'NOT_EXECUTABLE', `can't parse command '"oops': No closing quotation`],
      ['/tmp', 'NOT_EXECUTABLE', "command at '/tmp' is a directory"],
    ] as const) {
      const hx = harness({ command, startretries: 0 });
      try {
        assert.deepEqual(hx.proc.checkCommand(), { fault, message });
        assert.equal(hx.proc.spawn(), message);
        assert.equal(hx.proc.state, 'FATAL');
      } finally {
        await hx.cleanup();
      }
    }
  });

  it('a missing directory fails in the child: exit 127, stderr explains, BACKOFF', async () => {
    const h = harness({ command: 'sleep 5', directory: '/nonexistent-fv-dir', startretries: 0 });
    try {
      assert.equal(h.proc.spawn(), undefined);
      await h.waitState('FATAL');
      assert.deepEqual(h.transitions, ['STOPPED>STARTING', 'STARTING>BACKOFF', 'BACKOFF>FATAL']);
      assert.equal(h.proc.spawnerr, 'Exited too quickly (process log may have details)');
      assert.match(h.logger.text(), /INFO spawned: 'p' with pid \d+\nWARN exited: p \(exit status 127; not expected\)\n/);
      await eventually(() => h.stderrText().endsWith('not spawned\n'));
      assert.equal(
        h.stderrText(),
        'supervisor: couldn\'t chdir to /nonexistent-fv-dir: ENOENT\nsupervisor: child process was not spawned\n',
      );
    } finally {
      await h.cleanup();
    }
  });

  it('an exec failure after the checks (bad interpreter) is reported like supervisord’s child', async () => {
    const h = harness({ command: 'placeholder' });
    const script = join(h.dir, 'bad.sh');
    writeFileSync(script, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const h2 = harness({ command: `${script} arg`, startsecs: 0, autorestart: 'false', redirectStderr: true });
    try {
      h2.proc.spawn();
      await h2.waitState('EXITED');
      assert.equal(h2.proc.exitstatus, 127);
      await eventually(() => h2.stdoutText().endsWith('not spawned\n'));
      assert.equal(h2.stdoutText(), `supervisor: couldn't exec ${script}: ENOENT\nsupervisor: child process was not spawned\n`);
    } finally {
      await Promise.all([h.cleanup(), h2.cleanup()]);
    }
  });

  it('user: as root the child runs with the configured uid/gid', { skip: process.geteuid?.() !== 0 && 'needs root' }, async () => {
    const h = harness({
      command: `/bin/sh -c 'echo "$(id -u):$(id -g)"'`,
      startsecs: 0,
      autorestart: 'false',
      user: { name: 'nobody', uid: 65534, gid: 65534 },
      directory: '/',
    });
    try {
      h.proc.spawn();
      await h.waitState('EXITED');
      await eventually(() => h.stdoutText() !== '');
      assert.equal(h.stdoutText(), '65534:65534\n');
    } finally {
      await h.cleanup();
    }
  });
});
