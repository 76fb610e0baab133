import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  nativeSpawnAddon,
  spawnFast,
  type FastSpawnOptions,
  type SpawnBackend,
  type SpawnedChild,
} from '../../node-agent/process/fast-spawn.js';

const ENV = { PATH: '/usr/bin:/bin', FV_TEST: 'yes' };
const isRoot = process.geteuid?.() === 0;

function text(stream: Readable | null): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function exited(child: SpawnedChild): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function finish(child: SpawnedChild): Promise<Finished> {
  const [exit, stdout, stderr] = await Promise.all([exited(child), text(child.stdout), text(child.stderr)]);
  return { ...exit, stdout, stderr };
}

function started(options: FastSpawnOptions, backend: SpawnBackend): SpawnedChild {
  const result = spawnFast(options, backend);
  assert.equal(result.kind, 'started');
  if (result.kind !== 'started') throw new Error('unreachable');
  assert.equal(result.child.backend, backend);
  return result.child;
}

function sh(script: string, extra: Partial<FastSpawnOptions> = {}): FastSpawnOptions {
  return { file: '/bin/sh', argv: ['sh', '-c', script], env: ENV, ...extra };
}

function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

const backends: SpawnBackend[] = nativeSpawnAddon() ? ['native', 'node'] : ['node'];

for (const backend of backends) {
  describe(`spawnFast (${backend} backend)`, { concurrency: true }, () => {
    let dir = '';
    before(() => {
      dir = realpathSync(mkdtempSync(join(tmpdir(), 'fv-fast-spawn-')));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('delivers stdout and stderr through separate pipes and the exit code', async () => {
      const done = await finish(started(sh('echo out; echo err >&2; exit 3'), backend));
      assert.deepEqual(done, { code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    });

    it("stderr: 'stdout' puts both on one pipe, in order", async () => {
      const child = started(sh('echo one; echo two >&2; echo three', { stderr: 'stdout' }), backend);
      assert.equal(child.stderr, null);
      const done = await finish(child);
      assert.equal(done.stdout, 'one\ntwo\nthree\n');
      assert.equal(done.code, 0);
    });

    it('reports death by signal', async () => {
      const done = await finish(started(sh('kill -USR1 $$; sleep 5'), backend));
      assert.equal(done.code, null);
      assert.equal(done.signal, 'SIGUSR1');
    });

    it('feeds stdin', async () => {
      const child = started({ file: '/bin/cat', argv: ['cat'], env: ENV }, backend);
      const done = finish(child);
      child.stdin.end('hello through stdin\n');
      assert.deepEqual(await done, { code: 0, signal: null, stdout: 'hello through stdin\n', stderr: '' });
    });

    it('starts the child in a new session: pid == pgid == sid', async () => {
      const child = started({ file: '/bin/cat', argv: ['cat', '/proc/self/stat'], env: ENV }, backend);
      const done = await finish(child);
      // Fields after the ")" of the command name: state, ppid, pgrp, session.
      const [, ppid, pgrp, session] = done.stdout.slice(done.stdout.lastIndexOf(')') + 2).split(' ');
      assert.equal(Number(ppid), process.pid);
      assert.equal(Number(pgrp), child.pid);
      assert.equal(Number(session), child.pid);
    });

    it('passes exactly the given env, argv[0] as written, cwd and umask', async () => {
      const child = started(
        {
          file: '/bin/sh',
          argv: ['my-shell', '-c', 'echo "$0|$FV_TEST|$HOME|$(pwd)|$(umask)"; env | wc -l'],
          env: ENV,
          cwd: dir,
          umask: 0o027,
        },
        backend,
      );
      const done = await finish(child);
      const [first, count] = done.stdout.trim().split('\n');
      assert.equal(first, `my-shell|yes||${dir}|0027`);
      // PATH, FV_TEST and the PWD that sh adds.
      assert.ok(Number(count) <= 3, done.stdout);
    });

    it('the umask of the daemon itself is untouched', async () => {
      const umaskNow = () => {
        const mask = process.umask(0o022);
        process.umask(mask);
        return mask;
      };
      const before = umaskNow();
      const child = started(sh('exit 0', { umask: 0o077 }), backend);
      assert.equal(umaskNow(), before);
      await finish(child);
    });

    it('resets handlers and the mask before exec; ignored signals stay ignored only natively', async () => {
      const child = started({ file: '/bin/cat', argv: ['cat', '/proc/self/status'], env: ENV }, backend);
      const masks = (status: string) => Object.fromEntries([...status.matchAll(/^(Sig(?:Blk|Ign|Cgt)):\s*(\w+)$/gm)].map((m) => [m[1], m[2]]));
      const mine = masks(readFileSync('/proc/self/status', 'utf8'));
      assert.notEqual(mine.SigCgt, '0000000000000000', 'node catches some signals');
      assert.notEqual(mine.SigIgn, '0000000000000000', 'node ignores SIGPIPE');
      const theirs = masks((await finish(child)).stdout);
      assert.equal(theirs.SigBlk, '0000000000000000');
      assert.equal(theirs.SigCgt, '0000000000000000');
      // supervisord's children inherit Python's SIG_IGN of SIGPIPE and SIGXFSZ; node ignores the same two.
      assert.equal(theirs.SigIgn, backend === 'native' ? mine.SigIgn : '0000000000000000');
    });

    it('kill() signals the child; after its exit kill() fails with ESRCH', async () => {
      const child = started({ file: '/bin/sleep', argv: ['sleep', '30'], env: ENV }, backend);
      const done = finish(child);
      child.kill(15);
      assert.equal((await done).signal, 'SIGTERM');
      assert.throws(() => child.kill(15), { code: 'ESRCH' });
    });

    it('kill({ group: true }) reaches the whole process group', async () => {
      const child = started(sh('sleep 30 & echo $!; wait'), backend);
      const firstLine = new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));
      const done = finish(child);
      const grandchild = await firstLine;
      child.kill(15, { group: true });
      await done;
      // The grandchild got SIGTERM too: it is gone (reaped by init) shortly.
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline && isAlive(grandchild)) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(isAlive(grandchild), false);
    });

    it('runs as another user with uid/gid when root', { skip: !isRoot && 'needs root' }, async () => {
      const done = await finish(started(sh('id -u; id -g; id -G', { uid: 65534, gid: 65534 }), backend));
      assert.equal(done.stdout, '65534\n65534\n65534\n');
    });

    it('refuses strings with NUL bytes', () => {
      assert.throws(() => spawnFast(sh('exit 0', { env: { A: 'x\0y' } }), backend), { code: 'ERR_INVALID_ARG_VALUE' });
    });

    if (backend === 'native') {
      // node's spawn passes on any fd of the daemon that lacks O_CLOEXEC (under `node --test` there is one).
      it('gives the child no fds beyond 0, 1 and 2, as supervisord closes the rest', async () => {
        // ls holds one more fd for the directory it lists.
        const done = await finish(started({ file: '/bin/ls', argv: ['ls', '/proc/self/fd'], env: ENV }, backend));
        assert.deepEqual(
          done.stdout.trim().split('\n').map(Number).sort((a, b) => a - b),
          [0, 1, 2, 3],
        );
      });

      it('an exec failure is reported by the child as supervisord does, then exit 127', async () => {
        const child = started({ file: join(dir, 'missing'), argv: ['prog', 'a'], env: ENV }, backend);
        assert.deepEqual(child.setupFailure, { stage: 'exec', code: 'ENOENT' });
        const done = await finish(child);
        assert.deepEqual(done, {
          code: 127,
          signal: null,
          stdout: '',
          stderr: "supervisor: couldn't exec prog: ENOENT\nsupervisor: child process was not spawned\n",
        });
      });

      it('a script whose interpreter is missing fails with ENOENT; no exec bit with EACCES', async () => {
        const script = join(dir, 'bad-interp');
        writeFileSync(script, '#!/nonexistent/interpreter\n', { mode: 0o755 });
        const plain = join(dir, 'not-executable');
        writeFileSync(plain, 'echo hi\n');
        chmodSync(plain, 0o644);
        const [a, b] = await Promise.all([
          finish(started({ file: script, argv: ['bad-interp'], env: ENV, stderr: 'stdout' }, backend)),
          finish(started({ file: plain, argv: ['./not-executable'], env: ENV }, backend)),
        ]);
        assert.equal(a.stdout, "supervisor: couldn't exec bad-interp: ENOENT\nsupervisor: child process was not spawned\n");
        assert.equal(a.code, 127);
        if (!isRoot) {
          assert.equal(b.stderr, "supervisor: couldn't exec ./not-executable: EACCES\nsupervisor: child process was not spawned\n");
        }
        assert.equal(b.code, 127);
      });

      it('a chdir failure is reported with the directory', async () => {
        const missing = join(dir, 'no-such-dir');
        const child = started(sh('echo should not run', { cwd: missing }), backend);
        assert.deepEqual(child.setupFailure, { stage: 'chdir', code: 'ENOENT' });
        const done = await finish(child);
        assert.equal(done.code, 127);
        assert.equal(done.stdout, '');
        assert.equal(done.stderr, `supervisor: couldn't chdir to ${missing}: ENOENT\nsupervisor: child process was not spawned\n`);
      });
    } else {
      it('an exec failure arrives as `failing` with the errno code', async () => {
        const result = spawnFast({ file: join(dir, 'missing'), argv: ['prog'], env: ENV }, backend);
        assert.equal(result.kind, 'failing');
        if (result.kind === 'failing') assert.equal(await result.code, 'ENOENT');
      });
    }
  });
}

// Alone, so that no other test opens or closes fds meanwhile.
describe('spawnFast fd hygiene', () => {
  for (const backend of backends) {
    it(`${backend}: ${backend === 'native' ? 200 : 20} spawns leave no fds behind`, async () => {
      const count = backend === 'native' ? 200 : 20;
      const fdsBefore = openFdCount();
      const children = Array.from({ length: count }, (_, i) =>
        started({ file: '/bin/sh', argv: ['sh', '-c', `echo ${i}`], env: ENV }, backend),
      );
      const results = await Promise.all(children.map(finish));
      assert.deepEqual(
        results.map((r) => r.stdout),
        children.map((_, i) => `${i}\n`),
      );
      assert.ok(results.every((r) => r.code === 0));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(openFdCount(), fdsBefore);
    });
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
