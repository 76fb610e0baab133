/**
 * Following logs with the real supervisorctl (`tail -f`, `maintail -f`, which
 * stream from /logtail and /mainlogtail), plus `tail -N stderr`, `maintail`,
 * `clear`, and the file names log rotation leaves behind. One daemon per kind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, SUPERVISORCTL, within, type Daemon, type DaemonKind, startDaemon } from '../helpers/daemon.js';
import { normalize } from '../helpers/normalize.js';

const TAIL_CONF = `[program:ticker]
command=sh -c 'i=0; while :; do echo tick $i; echo err $i >&2; i=$((i+1)); sleep 0.2; done'
stdout_logfile={dir}/ticker.log
stderr_logfile={dir}/ticker.err
priority=10

[program:fixed]
command=sh -c 'echo out1; echo out2; echo err1 >&2; echo err2 >&2; exec sleep 1000'
priority=20

[program:trunc]
command=sh -c 'i=0; while :; do echo tock $i; i=$((i+1)); sleep 0.2; done'
stdout_logfile={dir}/trunc.log
stdout_logfile_maxbytes=40
stdout_logfile_backups=0
autostart=false
priority=30

[program:rot]
command=sh -c 'for i in 1 2 3 4 5 6 7 8; do echo line $i 1234567890123456789012345678901234567890123456; sleep 0.1; done; exec sleep 1000'
redirect_stderr=true
stdout_logfile_maxbytes=100
stdout_logfile_backups=2
priority=40

[program:rotx]
command=sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i 1234567890123456789012345678901234567890123456; sleep 0.1; done; exec sleep 1000'
process_name=%(program_name)s_%(process_num)d
numprocs=2
stdout_logfile={dir}/%(program_name)s-%(process_num)d.log
stdout_logfile_maxbytes=100
stdout_logfile_backups=3
priority=50
`;

const HEADER = '==> Press Ctrl-C to exit <==\n';

interface Follower {
  /** Everything supervisorctl printed on stdout so far. */
  stdout(): string;
  /** Resolves with stdout once `ready(stdout)` holds. */
  waitFor(ready: (stdout: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Sends SIGINT (Ctrl-C) and resolves with the final outcome. */
  interrupt(): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the outcome when supervisorctl exits on its own. */
  exited: Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }>;
}

const followers = new Set<Follower>();

/** Starts a long-running supervisorctl command (`tail -f …`, `maintail -f`). */
function follow(d: Daemon, args: readonly string[]): Follower {
  const child = spawn(SUPERVISORCTL, ['-c', d.conf, ...args], { cwd: d.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal })),
  );
  const follower: Follower = {
    stdout: () => stdout,
    async waitFor(ready, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let gone = false;
      void exited.then(() => (gone = true));
      for (;;) {
        if (ready(stdout)) return stdout;
        if (gone || Date.now() > deadline) {
          throw new Error(`supervisorctl ${args.join(' ')} never printed ${what}; stdout ${JSON.stringify(stdout)} stderr ${JSON.stringify(stderr)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async interrupt() {
      child.kill('SIGINT');
      const outcome = await within(exited, 5_000, undefined);
      if (outcome === undefined) {
        child.kill('SIGKILL');
        throw new Error(`supervisorctl ${args.join(' ')} ignored SIGINT`);
      }
      followers.delete(follower);
      return outcome;
    },
    exited,
  };
  followers.add(follower);
  void exited.then(() => followers.delete(follower));
  return follower;
}

function lastNumber(text: string, word: string): number {
  const all = [...text.matchAll(new RegExp(`^${word} (\\d+)\\b`, 'gm'))].map((m) => Number(m[1]));
  return all.length === 0 ? -1 : Math.max(...all);
}

function fileText(d: Daemon, name: string): string {
  try {
    return readFileSync(join(d.dir, name), 'utf8');
  } catch {
    return '';
  }
}

/** A followed stream's lines `word N` must be consecutive: nothing lost, nothing repeated. */
function assertConsecutive(stream: string, word: string): void {
  const numbers = [...stream.matchAll(new RegExp(`^${word} (\\d+)\\b`, 'gm'))].map((m) => Number(m[1]));
  assert.ok(numbers.length >= 2, stream);
  assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), stream);
}

/** Files a daemon kind leaves in its dir regardless of the config's logs. */
const HARNESS_FILES = new Set(['daemon.out', 'sock', 'supervisord.conf', 'supervisord.log', 'supervisord.pid']);

function logListing(d: Daemon): string[] {
  return readdirSync(d.dir)
    .filter((f) => !HARNESS_FILES.has(f))
    .map((f) => normalize(f))
    .sort();
}

const EXPECTED_LISTING = [
  'fixed-stderr---supervisor-AUTO.log',
  'fixed-stdout---supervisor-AUTO.log',
  'rot-stdout---supervisor-AUTO.log',
  'rot-stdout---supervisor-AUTO.log.1',
  'rot-stdout---supervisor-AUTO.log.2',
  'rotx-0.log',
  'rotx-0.log.1',
  'rotx-0.log.2',
  'rotx-0.log.3',
  'rotx-1.log',
  'rotx-1.log.1',
  'rotx-1.log.2',
  'rotx-1.log.3',
  'rotx_0-stderr---supervisor-AUTO.log',
  'rotx_1-stderr---supervisor-AUTO.log',
  'ticker.err',
  'ticker.log',
  'trunc-stderr---supervisor-AUTO.log',
  'trunc.log',
];

const listings = new Map<DaemonKind, string[]>();

for (const kind of daemonKinds()) {
  describe(`supervisorctl following logs on ${kind}`, () => {
    let daemon: Daemon | undefined;
    const d = (): Daemon => {
      assert.ok(daemon, 'daemon did not start');
      return daemon;
    };
    before(async () => {
      daemon = await startDaemon(kind, TAIL_CONF);
      await daemon.waitForStates({ ticker: 'RUNNING', fixed: 'RUNNING', rot: 'RUNNING' }, 20_000);
    });
    after(async () => {
      for (const f of followers) await f.interrupt().catch(() => undefined);
      await daemon?.stop();
    });

    test('tail -N of stderr prints the last N bytes', async () => {
      assert.deepEqual(await d().ctl(['tail', '-7', 'fixed', 'stderr']), { stdout: '1\nerr2\n\n', stderr: '', code: 0 });
      assert.deepEqual(await d().ctl(['tail', '-100', 'fixed', 'stderr']), { stdout: 'err1\nerr2\n\n', stderr: '', code: 0 });
      assert.deepEqual(await d().ctl(['tail', '-5', 'fixed']), { stdout: 'out2\n\n', stderr: '', code: 0 });
    });

    test('maintail -N prints the last N bytes of the main log', async () => {
      const result = await d().ctl(['maintail', '-200']);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, d().mainLog().slice(-200) + '\n');
      assert.match(result.stdout, /INFO success: \w+ entered RUNNING state/);
    });

    test('maintail -f prints the main log, then follows what is logged next', async () => {
      const f = follow(d(), ['maintail', '-f']);
      await f.waitFor((out) => out.startsWith(HEADER) && /supervisord started with pid \d+\n/.test(out), 'the boot lines');
      assert.deepEqual(await d().ctl(['start', 'trunc']), { stdout: 'trunc: started\n', stderr: '', code: 0 });
      await f.waitFor((out) => out.includes("INFO spawned: 'trunc' with pid "), "trunc's spawn line");
      const outcome = await f.interrupt();
      assert.equal(outcome.code, 0);
      assert.equal(outcome.stderr, '');
      assert.ok(outcome.stdout.endsWith('\n\n'), JSON.stringify(outcome.stdout));
      assert.ok(d().mainLog().includes(outcome.stdout.slice(HEADER.length, -1)), 'the stream is a slice of the main log');
    });

    test('tail -f prints the end of the log, then new lines as they are written, until Ctrl-C', async () => {
      const before = lastNumber(fileText(d(), 'ticker.log'), 'tick');
      const f = follow(d(), ['tail', '-f', 'ticker']);
      await f.waitFor((out) => lastNumber(out, 'tick') >= before + 3, `tick ${before + 3}`);
      const outcome = await f.interrupt();
      assert.deepEqual([outcome.code, outcome.stderr], [0, '']);
      assert.ok(outcome.stdout.startsWith(HEADER), outcome.stdout);
      assert.ok(outcome.stdout.endsWith('\n\n'), outcome.stdout);
      assertConsecutive(outcome.stdout, 'tick');
    });

    test('tail -f … stderr follows the stderr log', async () => {
      const before = lastNumber(fileText(d(), 'ticker.err'), 'err');
      const f = follow(d(), ['tail', '-f', 'ticker', 'stderr']);
      await f.waitFor((out) => lastNumber(out, 'err') >= before + 2, `err ${before + 2}`);
      const outcome = await f.interrupt();
      assert.ok(outcome.stdout.startsWith(HEADER), outcome.stdout);
      assert.doesNotMatch(outcome.stdout, /^tick /m);
      assertConsecutive(outcome.stdout, 'err');
    });

    test('tail -f of a missing process reports the 404 and ends', async () => {
      const outcome = await within(follow(d(), ['tail', '-f', 'nosuch']).exited, 10_000, undefined);
      assert.ok(outcome, 'supervisorctl tail -f nosuch did not end');
      assert.deepEqual(
        { ...outcome, stderr: normalize(outcome.stderr, { dir: d().dir }) },
        {
          stdout: HEADER,
          stderr: 'unix://{dir}/sock/logtail/nosuch/stdout Cannot read, status code 404\n',
          code: 0,
          signal: null,
        },
      );
    });

    test('tail -f keeps following across clear (the log file is replaced)', async () => {
      const f = follow(d(), ['tail', '-f', 'ticker']);
      await f.waitFor((out) => lastNumber(out, 'tick') >= 0, 'a tick');
      assert.deepEqual(await d().ctl(['clear', 'ticker']), { stdout: 'ticker: cleared\n', stderr: '', code: 0 });
      const cleared = lastNumber(f.stdout(), 'tick');
      await f.waitFor((out) => lastNumber(out, 'tick') >= cleared + 3, `tick ${cleared + 3}`);
      assert.ok(lastNumber(fileText(d(), 'ticker.log'), 'tick') >= cleared + 3);
      assert.ok(!fileText(d(), 'ticker.log').includes(`tick ${Math.max(0, cleared - 5)}\n`), 'the log was cleared');
      const outcome = await f.interrupt();
      assert.doesNotMatch(outcome.stdout, /File truncated/);
    });

    test('tail -f across an in-place truncation (backups=0)', async () => {
      await d().waitForStates({ trunc: 'RUNNING' });
      const f = follow(d(), ['tail', '-f', 'trunc']);
      if (kind === 'supervisord') {
        // supervisord 4.2.5 under Python 3 returns the marker as str from a
        // bytes producer: the stream breaks and supervisorctl ends by itself.
        const outcome = await within(f.exited, 10_000, undefined);
        assert.ok(outcome, 'supervisorctl tail -f trunc kept running');
        assert.ok(outcome.stdout.startsWith(HEADER), outcome.stdout);
        assert.doesNotMatch(outcome.stdout, /File truncated/);
        return;
      }
      // fleetvisord does what supervisord meant: a marker line, then the new data.
      await f.waitFor((out) => /==> File truncated <==\ntock \d+\n/.test(out), 'the truncation marker and a line after it');
      const outcome = await f.interrupt();
      assert.equal(outcome.code, 0);
    });

    test('clear empties a running process log; tail then prints nothing', async () => {
      assert.deepEqual(await d().ctl(['clear', 'fixed']), { stdout: 'fixed: cleared\n', stderr: '', code: 0 });
      assert.deepEqual(await d().ctl(['tail', 'fixed']), { stdout: '\n', stderr: '', code: 0 });
      assert.deepEqual(await d().ctl(['tail', 'fixed', 'stderr']), { stdout: '\n', stderr: '', code: 0 });
    });

    test('log rotation leaves the same file names as supervisord', async () => {
      // the tenth line fills the file to 109 bytes: it is rotated to .1 and the log left empty
      const rotDone = (): boolean =>
        lastNumber(fileText(d(), 'rotx-0.log.1'), 'line') === 10 && lastNumber(fileText(d(), 'rotx-1.log.1'), 'line') === 10;
      const deadline = Date.now() + 10_000;
      while (!rotDone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await d().waitForStates({ 'rotx:rotx_0': 'RUNNING', 'rotx:rotx_1': 'RUNNING' });
      const listing = logListing(d());
      listings.set(kind, listing);
      assert.deepEqual(listing, EXPECTED_LISTING);
      assert.equal(fileText(d(), 'rotx-0.log'), '');
      assert.match(fileText(d(), 'rotx-0.log.1'), /^line 9 .*\nline 10 .*\n$/);
      assert.match(fileText(d(), 'rotx-0.log.3'), /^line 5 .*\nline 6 .*\n$/);
    });
  });
}

test('both daemons leave the same log file names', { skip: daemonKinds().length < 2 && 'only one daemon kind' }, () => {
  const [a, b] = daemonKinds().map((k) => listings.get(k));
  assert.ok(a && b, 'a listing is missing');
  assert.deepEqual(b, a);
});
