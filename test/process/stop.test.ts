import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { eventually, harness, sleep } from './harness.js';

/** Gone or a zombie waiting for init: either way no longer running. */
function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function grandchildPid(h: ReturnType<typeof harness>): Promise<number> {
  await eventually(() => /^\d+\n/.test(h.stdoutText()));
  return Number(h.stdoutText().trim());
}

describe('stopping and signalling (compat spec §2.2, §2.6)', { concurrency: true }, () => {
  it('a child ignoring SIGTERM is killed with SIGKILL after stopwaitsecs', async () => {
    const h = harness({ command: `/bin/sh -c "trap '' TERM; echo ready; exec sleep 30"`, startsecs: 0, stopwaitsecs: 1 });
    try {
      h.proc.spawn();
      const pid = h.proc.pid;
      await eventually(() => h.stdoutText() === 'ready\n');
      const stoppedAt = Date.now();
      h.proc.stop();
      await sleep(300);
      assert.equal(h.proc.state, 'STOPPING', 'TERM is ignored');
      h.proc.stopReport();
      h.proc.stopReport();
      assert.equal(h.logger.text().match(/INFO waiting for p to stop\n/g)?.length, 1, 'reported at most every 2 s');
      await h.waitState('STOPPED');
      assert.ok(Date.now() - stoppedAt >= 950, 'SIGKILL only after stopwaitsecs');
      assert.match(h.logger.text(), new RegExp(`WARN killing 'p' \\(${pid}\\) with SIGKILL\n(DEBG .*\n)*WARN stopped: p \\(terminated by SIGKILL\\)\n`));
      assert.equal(h.proc.exitstatus, -1);
    } finally {
      await h.cleanup();
    }
  });

  it('stopasgroup signals the whole process group: the grandchild dies too', async () => {
    const h = harness({ command: `/bin/sh -c 'sleep 30 & echo $!; wait'`, startsecs: 0, stopasgroup: true, killasgroup: true });
    try {
      h.proc.spawn();
      const grandchild = await grandchildPid(h);
      assert.equal(processGone(grandchild), false);
      h.proc.stop();
      await h.waitState('STOPPED');
      await eventually(() => processGone(grandchild), 2000);
    } finally {
      await h.cleanup();
    }
  });

  it('without stopasgroup only the child is signalled: the grandchild survives', async () => {
    const h = harness({ command: `/bin/sh -c 'sleep 30 & echo $!; wait'`, startsecs: 0 });
    let grandchild = 0;
    try {
      h.proc.spawn();
      grandchild = await grandchildPid(h);
      h.proc.stop();
      await h.waitState('STOPPED');
      await sleep(200);
      assert.equal(processGone(grandchild), false);
    } finally {
      if (grandchild) process.kill(grandchild, 'SIGKILL');
      await h.cleanup();
    }
  });

  it('killasgroup: the SIGKILL after stopwaitsecs reaches the group', async () => {
    const h = harness({
      command: `/bin/sh -c 'trap "" TERM; sleep 30 & echo $!; wait'`,
      startsecs: 0,
      stopwaitsecs: 1,
      stopasgroup: true,
      killasgroup: true,
    });
    try {
      h.proc.spawn();
      const grandchild = await grandchildPid(h);
      h.proc.stop();
      await h.waitState('STOPPED');
      assert.match(h.logger.text(), /WARN killing 'p' \(\d+\) with SIGKILL\n/);
      await eventually(() => processGone(grandchild), 2000);
    } finally {
      await h.cleanup();
    }
  });

  it('signal() delivers to the child; a stopped process reports it was not running', async () => {
    const h = harness({ command: `/bin/sh -c "trap 'echo got usr1' USR1; echo ready; while :; do sleep 0.05; done"`, startsecs: 0 });
    try {
      assert.equal(h.proc.signal(10), "attempted to send p sig SIGUSR1 but it wasn't running");
      assert.equal(h.proc.stop(), "attempted to kill p with sig SIGTERM but it wasn't running");
      h.proc.spawn();
      await eventually(() => h.stdoutText() === 'ready\n');
      assert.equal(h.proc.signal(10), undefined);
      await eventually(() => h.stdoutText() === 'ready\ngot usr1\n');
      assert.equal(h.proc.state, 'RUNNING');
    } finally {
      await h.cleanup();
    }
  });

  it('stdin: bytes written reach the child', async () => {
    const h = harness({ command: 'cat', startsecs: 0 });
    try {
      assert.equal(h.proc.writeStdin(Buffer.from('x')), false, 'no child yet');
      h.proc.spawn();
      assert.equal(h.proc.stdinOpen, true);
      assert.equal(h.proc.writeStdin(Buffer.from('hello\n')), true);
      await eventually(() => h.stdoutText() === 'hello\n');
      assert.deepEqual(Buffer.concat(h.output.stdout).toString(), 'hello\n');
      h.proc.stop();
      await h.waitState('STOPPED');
      assert.equal(h.proc.stdinOpen, false);
      assert.match(h.logger.text(), /WARN stopped: p \(terminated by SIGTERM\)\n/);
    } finally {
      await h.cleanup();
    }
  });

  it('a stop that exits with an expected code is logged at INFO', async () => {
    const h = harness({ command: `/bin/sh -c "trap 'exit 0' TERM; echo ready; while :; do sleep 0.05; done"`, startsecs: 0 });
    try {
      h.proc.spawn();
      await eventually(() => h.stdoutText() === 'ready\n');
      h.proc.stop();
      await h.waitState('STOPPED');
      assert.match(h.logger.text(), /INFO stopped: p \(exit status 0\)\n/);
      assert.equal(h.proc.exitstatus, 0);
    } finally {
      await h.cleanup();
    }
  });
});
