/**
 * Once a child is reaped its pipes are let go, as supervisord closes its
 * ends (process.finish → close_parent_pipes): output a grandchild writes
 * afterwards is not logged, and no descriptor outlives the process.
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { nativeSpawnAddon } from '../../node-agent/process/fast-spawn.js';
import { harness } from './harness.js';

function openPipes(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:')) count++;
    } catch {
      // the fd closed while listing
    }
  }
  return count;
}

test(
  'a grandchild that keeps the pipes writes into closed pipes after its parent exits',
  { skip: nativeSpawnAddon() ? false : 'needs the native addon (npm run build); the node backend reads streams to their end' },
  async () => {
    const h = harness({
      command: `/bin/sh -c "(sleep 0.6; echo late; echo late-err >&2) & echo early; echo early-err >&2"`,
      startsecs: 0,
      autorestart: 'false',
    });
    const warmUp = harness({ command: '/bin/true', startsecs: 0, autorestart: 'false' });
    try {
      // The first spawn sets up process-wide pipes (libuv's signal pipe and the like): count after one.
      warmUp.proc.spawn();
      await warmUp.waitState('EXITED');
      await sleep(50);
      const pipesBefore = openPipes();
      h.proc.spawn();
      await h.waitState('EXITED');
      await sleep(50); // stdin's stream closes on the next turn
      assert.equal(h.stdoutText(), 'early\n', 'what the child wrote before exiting is logged');
      assert.equal(h.stderrText(), 'early-err\n');
      assert.equal(openPipes(), pipesBefore, 'no pipe of the exited child is still open (the grandchild is still alive)');
      await sleep(1000);
      assert.equal(h.stdoutText(), 'early\n', 'the grandchild\'s late line is not logged');
      assert.equal(h.stderrText(), 'early-err\n');
    } finally {
      await warmUp.cleanup();
      await h.cleanup();
    }
  },
);
