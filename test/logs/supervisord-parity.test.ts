/**
 * Runs the real supervisord 4.2.5 on a tiny config in a temp dir and checks
 * that our logs produce the same files from the same output: rotation naming
 * and sizes, truncation with backups=0, strip_ansi, and the AUTO purge.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileChildLog } from '../../node-agent/logs/child-log.js';
import { AnsiStripper } from '../../node-agent/logs/ansi.js';
import { autoLogPattern } from '../../node-agent/logs/auto-names.js';

const SUPERVISORD = '/usr/bin/supervisord';
const skip = existsSync(SUPERVISORD) ? false : 'real supervisord not installed';

// 1-9 give 55-byte lines, 10 gives 56; the pause makes supervisord read each line on its own.
const LOOP = "for i in 1 2 3 4 5 6 7 8 9 10; do echo 5xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx$i; sleep 0.05; done; exec sleep 30";
const LINES = Array.from({ length: 10 }, (_, i) => `5${'x'.repeat(52)}${i + 1}\n`);
const ANSI_OUTPUT = 'a\x1b[31mred\x1b[0m b\x1b[2Jc\n';
const SEEDED = ['old-stdout---fvparity-abc.log', 'old-stdout---fvparity-abc.log.3', 'a---fvparity-x.log.12345', 'keep.log', 'x---other-abc.log', 'a---fvparity-.log'];

let dir: string;
let daemon: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'fv-parity-'));
  for (const name of SEEDED) writeFileSync(join(dir, name), '');
  writeFileSync(
    join(dir, 'sv.conf'),
    `[supervisord]
logfile=%(here)s/supervisord.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s
identifier=fvparity
strip_ansi=true

[unix_http_server]
file=%(here)s/sv.sock

[program:rot]
command=sh -c '${LOOP}'
stdout_logfile=%(here)s/rot.log
stdout_logfile_maxbytes=120
stdout_logfile_backups=2
stderr_logfile=NONE
startsecs=0
stopasgroup=true

[program:trunc]
command=sh -c '${LOOP}'
stdout_logfile=%(here)s/trunc.log
stdout_logfile_maxbytes=120
stdout_logfile_backups=0
stderr_logfile=NONE
startsecs=0
stopasgroup=true

[program:ansi]
command=printf '${ANSI_OUTPUT.replace(/\x1b/g, '\\033').replace('\n', '\\n')}'
stdout_logfile=%(here)s/ansi.log
stderr_logfile=NONE
startsecs=0
stopasgroup=true
autorestart=false
`,
  );
  daemon = spawn(SUPERVISORD, ['-n', '-c', join(dir, 'sv.conf')], { stdio: 'ignore' });
  await waitFor(() => readIfExists(join(dir, 'rot.log')).includes('x10\n') && readIfExists(join(dir, 'trunc.log')).includes('x10\n'), 15000);
});

after(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((resolve) => daemon!.once('exit', resolve));
    daemon.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('rotation with backups=2 gives the same files as supervisord', { skip }, () => {
  const ours = join(dir, 'ours-rot.log');
  const log = new FileChildLog({ path: ours, maxbytes: 120, backups: 2 });
  for (const line of LINES) log.write(Buffer.from(line));
  log.close();
  for (const suffix of ['', '.1', '.2']) {
    assert.equal(readFileSync(ours + suffix, 'utf8'), readFileSync(join(dir, 'rot.log') + suffix, 'utf8'), `log${suffix}`);
  }
  assert.equal(existsSync(join(dir, 'rot.log.3')), false);
  assert.equal(existsSync(`${ours}.3`), false);
});

test('backups=0 truncates like supervisord', { skip }, () => {
  const ours = join(dir, 'ours-trunc.log');
  const log = new FileChildLog({ path: ours, maxbytes: 120, backups: 0 });
  for (const line of LINES) log.write(Buffer.from(line));
  log.close();
  assert.equal(readFileSync(ours, 'utf8'), readFileSync(join(dir, 'trunc.log'), 'utf8'));
  assert.equal(existsSync(join(dir, 'trunc.log.1')), false);
});

test('strip_ansi output matches supervisord', { skip }, () => {
  const stripped = new AnsiStripper().strip(Buffer.from(ANSI_OUTPUT)).toString();
  assert.equal(stripped, readFileSync(join(dir, 'ansi.log'), 'utf8'));
});

test('the purge pattern removes the same seeded files as supervisord', { skip }, () => {
  const left = new Set(readdirSync(dir));
  const re = autoLogPattern('fvparity');
  for (const name of SEEDED) assert.equal(!left.has(name), re.test(name), name);
});

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function waitFor(ready: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('supervisord did not produce the expected logs in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
