/**
 * Child output from pipe to log (output-pump.ts wired into ChildSubprocess):
 * every byte arrives in order, rotation happens per write as supervisord's
 * does, output written just before an exit is logged before EXITED, onOutput
 * gets stable copies, and several busy children share the event loop.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { ProcessConfig } from '../../node-agent/config/types.js';
import { FileChildLog } from '../../node-agent/logs/child-log.js';
import { memoryLogger } from '../../node-agent/logs/memory-logger.js';
import { createSubprocess, type Subprocess, type SubprocessContext } from '../../node-agent/process/index.js';
import { spawnBackend, spawnFast, type SpawnBackend, type SpawnedChild } from '../../node-agent/process/fast-spawn.js';
import { pumpOutput } from '../../node-agent/process/output-pump.js';
import { eventually, processConfig, waitForState } from './harness.js';

const MIB = 1024 * 1024;
const ENV = { PATH: '/usr/bin:/bin' };
const backends: SpawnBackend[] = spawnBackend() === 'native' ? ['native', 'node'] : ['node'];

let dir: string;
/** 4 MiB of random bytes: children cat it N times, so loss, duplication or reordering changes the hash. */
let block: string;
let blockBytes: Buffer;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fv-pump-'));
  block = join(dir, 'block.bin');
  blockBytes = randomBytes(4 * MIB);
  writeFileSync(block, blockBytes);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function catBlock(times: number): string {
  return `/bin/sh -c 'for i in $(seq ${times}); do cat ${block}; done'`;
}

function expectedHash(times: number): string {
  const hash = createHash('sha256');
  for (let i = 0; i < times; i++) hash.update(blockBytes);
  return hash.digest('hex');
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface Setup {
  proc: Subprocess;
  log: FileChildLog;
  outputs: Buffer[];
  transitions: Array<{ to: string; logSize: number }>;
}

function setup(
  name: string,
  overrides: Partial<ProcessConfig> & { command: string },
  options: { maxbytes?: number; backups?: number; needsOutputBytes?: boolean } = {},
): Setup {
  const log = new FileChildLog({ path: join(dir, `${name}.log`), maxbytes: options.maxbytes ?? 0, backups: options.backups ?? 0 });
  const outputs: Buffer[] = [];
  const transitions: Setup['transitions'] = [];
  const ctx: SubprocessContext = {
    logger: memoryLogger(),
    baseEnv: ENV,
    childLogs: { stdout: log },
    onStateChange: (_p, _from, to) => transitions.push({ to, logSize: statSync(log.path).size }),
    onOutput: (_p, _channel, chunk) => outputs.push(chunk),
  };
  if (options.needsOutputBytes !== undefined) {
    const needed = options.needsOutputBytes;
    ctx.needsOutputBytes = () => needed;
  }
  const config = processConfig({ name, startsecs: 0, autorestart: 'false', redirectStderr: true, ...overrides });
  return { proc: createSubprocess(config, 'grp', ctx), log, outputs, transitions };
}

describe('child output to the log', { concurrency: true }, () => {
  it('200 MiB arrive whole and in order (checksum); tail and read see them; onOutput is skipped when not needed', async () => {
    const s = setup('big', { command: catBlock(50) }, { needsOutputBytes: false });
    s.proc.spawn();
    await waitForState(s.proc, 'EXITED', 60_000);
    await eventually(() => s.log.size === 200 * MIB, 10_000);
    assert.equal(statSync(s.log.path).size, 200 * MIB);
    assert.equal(fileHash(s.log.path), expectedHash(50));
    assert.equal(s.outputs.length, 0);
    const [tail, offset, overflow] = s.log.tail(0, 64);
    assert.equal(tail, blockBytes.subarray(blockBytes.length - 64).toString('utf8'));
    assert.equal(offset, 200 * MIB);
    assert.equal(overflow, true);
    assert.equal(s.log.read(0, 16), blockBytes.subarray(0, 16).toString('utf8'));
    s.log.close();
  });

  it('rotation with maxbytes=120, backups=2: one log write per read, so the files are supervisord\'s for those reads', async () => {
    // test/logs/supervisord-parity.test.ts shows FileChildLog rotates like supervisord for a given
    // sequence of reads; here the reads are whatever the pump delivered (one line each, unless the
    // machine is slow), replayed into a reference log.
    const lines = Array.from({ length: 10 }, (_, i) => `5${'x'.repeat(52)}${i + 1}\n`);
    const script = lines.map((line) => `printf '${line.trimEnd()}\\n'; sleep 0.05`).join('; ');
    const s = setup('rot', { command: `/bin/sh -c "${script}"` }, { maxbytes: 120, backups: 2 });
    s.proc.spawn();
    await waitForState(s.proc, 'EXITED', 10_000);
    await eventually(() => Buffer.concat(s.outputs).toString() === lines.join(''));
    s.log.close();
    const reference = new FileChildLog({ path: join(dir, 'reference.log'), maxbytes: 120, backups: 2 });
    for (const chunk of s.outputs) reference.write(chunk);
    reference.close();
    for (const suffix of ['', '.1', '.2']) {
      assert.equal(readFileSync(s.log.path + suffix, 'utf8'), readFileSync(reference.path + suffix, 'utf8'), `log${suffix}`);
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('rot.log')).sort(),
      ['rot.log', 'rot.log.1', 'rot.log.2'],
    );
    // Whatever the reads were, the files hold the newest lines in order, each rotated file at least maxbytes.
    const kept = ['.2', '.1', ''].map((suffix) => readFileSync(s.log.path + suffix, 'utf8'));
    assert.ok(lines.join('').endsWith(kept.join('')));
    assert.ok(kept[0].length >= 120 && kept[1].length >= 120, kept.map((k) => k.length).join(','));
  });

  it('output written just before exiting is in the log when the process is EXITED', async () => {
    // 900 KiB fits in the pipe: the child exits before the daemon has read any of it.
    const s = setup('quick', { command: `/usr/bin/python3 -c "import os; os.write(1, b'q' * ${900 * 1024})"` });
    s.proc.spawn();
    await waitForState(s.proc, 'EXITED', 10_000);
    const exited = s.transitions.find((t) => t.to === 'EXITED');
    if (spawnBackend() === 'native') assert.equal(exited?.logSize, 900 * 1024);
    await eventually(() => statSync(s.log.path).size === 900 * 1024);
    assert.equal(readFileSync(s.log.path, 'latin1'), 'q'.repeat(900 * 1024));
    s.log.close();
  });

  it('onOutput gets chunks it may keep: together they equal the log', async () => {
    const s = setup('copies', { command: catBlock(2) });
    s.proc.spawn();
    await waitForState(s.proc, 'EXITED', 10_000);
    await eventually(() => s.log.size === 8 * MIB);
    assert.ok(s.outputs.length > 1, `${s.outputs.length} chunks`);
    assert.ok(Buffer.concat(s.outputs).equals(readFileSync(s.log.path)));
    s.log.close();
  });

  it('several children writing at once all finish exactly, and the event loop stays responsive', async () => {
    const writers = Array.from({ length: 4 }, (_, i) => setup(`fair${i}`, { command: catBlock(6) }, { needsOutputBytes: false }));
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    for (const w of writers) w.proc.spawn();
    await Promise.all(writers.map((w) => waitForState(w.proc, 'EXITED', 60_000)));
    delay.disable();
    for (const w of writers) {
      await eventually(() => w.log.size === 24 * MIB, 10_000);
      assert.equal(fileHash(w.log.path), expectedHash(6));
      w.log.close();
    }
    // Each wakeup moves at most 1 MiB per pipe, so the loop keeps turning while 96 MiB go by. The
    // bound is loose because a busy CI machine alone can hold a healthy loop up for ~0.5 s.
    assert.ok(delay.max / 1e6 < 2000, `event loop delay max ${(delay.max / 1e6).toFixed(1)} ms`);
  });
});

describe('pumpOutput', { concurrency: true }, () => {
  for (const backend of backends) {
    it(`${backend}: delivers both channels in order, then ends and lets go of the pipes`, async () => {
      const fdsBefore = readdirSync('/proc/self/fd').length;
      const result = spawnFast(
        { file: '/bin/sh', argv: ['sh', '-c', `cat ${block}; echo done >&2`], env: ENV },
        backend,
      );
      assert.equal(result.kind, 'started');
      const child: SpawnedChild = result.child;
      const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      const ends = (['stdout', 'stderr'] as const).map(
        (channel) =>
          new Promise<void>((resolve) => {
            const pump = pumpOutput(child, channel, {
              data: (chunk, transient) => got[channel].push(transient ? Buffer.from(chunk) : chunk),
              end: resolve,
            });
            assert.ok(pump);
          }),
      );
      await Promise.all([...ends, new Promise((resolve) => child.once('exit', resolve))]);
      assert.ok(Buffer.concat(got.stdout).equals(blockBytes));
      assert.equal(Buffer.concat(got.stderr).toString(), 'done\n');
      child.stdin.destroy();
      await new Promise((resolve) => setImmediate(resolve));
      await eventually(() => readdirSync('/proc/self/fd').length <= fdsBefore);
    });
  }

  it('a merged stderr has no pipe of its own', () => {
    const result = spawnFast({ file: '/bin/true', argv: ['true'], env: ENV, stderr: 'stdout' });
    assert.equal(result.kind, 'started');
    const child = result.child;
    assert.equal(pumpOutput(child, 'stderr', { data: () => {} }), undefined);
    pumpOutput(child, 'stdout', { data: () => {} });
    child.stdin.destroy();
  });
});
