import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ChannelConfig, LogTarget, ProcessConfig } from '../../node-agent/config/types.js';
import { autoLogPattern, createAutoLogFile, purgeAutoLogs, resolveAutoLogs } from '../../node-agent/logs/auto-names.js';
import { openChildLogs } from '../../node-agent/logs/open-child-logs.js';
import { RpcFault } from '../../node-agent/api/faults.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fv-autologs-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function freshDir(name: string): string {
  return mkdtempSync(join(dir, `${name}-`));
}

function channel(logfile: LogTarget, extra: Partial<ChannelConfig> = {}): ChannelConfig {
  return { logfile, logfileMaxbytes: 0, logfileBackups: 0, captureMaxbytes: 0, eventsEnabled: false, syslog: false, ...extra };
}

function proc(stdout: ChannelConfig, stderr: ChannelConfig, extra: Partial<ProcessConfig> = {}): ProcessConfig {
  return {
    section: 'program:web',
    programName: 'web',
    name: 'web_01',
    command: '/bin/true',
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    exitcodes: [0],
    stopsignal: 15,
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    redirectStderr: false,
    stdout,
    stderr,
    environment: {},
    ...extra,
  };
}

describe('AUTO log names', () => {
  test('<proc>-<channel>---<identifier>-<8 random>.log, empty, mode 0600', () => {
    const d = freshDir('names');
    const path = createAutoLogFile('web_01', 'stdout', { childlogdir: d, identifier: 'supervisor' });
    assert.match(basename(path), /^web_01-stdout---supervisor-[a-z0-9_]{8}\.log$/);
    const st = statSync(path);
    assert.equal(st.size, 0);
    assert.equal(st.mode & 0o777, 0o600);
  });

  test('each call gives a new name', () => {
    const d = freshDir('unique');
    const opts = { childlogdir: d, identifier: 'supervisor' };
    const a = createAutoLogFile('p', 'stderr', opts);
    const b = createAutoLogFile('p', 'stderr', opts);
    assert.notEqual(a, b);
    assert.equal(readdirSync(d).length, 2);
  });

  test('resolveAutoLogs replaces AUTO with files, none for a redirected stderr', () => {
    const d = freshDir('resolve');
    const opts = { childlogdir: d, identifier: 'supervisor' };
    const resolved = resolveAutoLogs(proc(channel({ kind: 'auto' }), channel({ kind: 'auto' })), opts);
    assert.equal(resolved.stdout.logfile.kind, 'file');
    assert.equal(resolved.stderr.logfile.kind, 'file');
    const redirected = resolveAutoLogs(proc(channel({ kind: 'auto' }), channel({ kind: 'auto' }), { redirectStderr: true }), opts);
    assert.equal(redirected.stderr.logfile.kind, 'auto');
    assert.equal(readdirSync(d).filter((n) => n.includes('stderr')).length, 1);
    const explicit = proc(channel({ kind: 'none' }), channel({ kind: 'file', path: '/x' }));
    assert.equal(resolveAutoLogs(explicit, opts), explicit);
  });
});

describe('boot-time purge', () => {
  // The same names were checked against a real supervisord 4.2.5 (identifier=fvtest).
  const removedBySupervisord = ['old-stdout---fvtest-abc.log', 'old-stdout---fvtest-abc.log.3', 'a---fvtest-x.log.12345'];
  const keptBySupervisord = ['keep.log', 'x---other-abc.log', 'a---fvtest-.log', '---fvtest-abc.log'];

  test('pattern matches what supervisord deletes', () => {
    const re = autoLogPattern('fvtest');
    for (const name of removedBySupervisord) assert.ok(re.test(name), name);
    for (const name of keptBySupervisord) assert.ok(!re.test(name), name);
  });

  test('purge deletes matching files only and reports them', () => {
    const d = freshDir('purge');
    for (const name of [...removedBySupervisord, ...keptBySupervisord]) writeFileSync(join(d, name), 'x');
    const ours = createAutoLogFile('p', 'stdout', { childlogdir: d, identifier: 'fvtest' });
    const warnings: string[] = [];
    const { removed } = purgeAutoLogs(d, 'fvtest', (m) => warnings.push(m));
    assert.equal(removed.length, removedBySupervisord.length + 1);
    assert.equal(existsSync(ours), false);
    assert.deepEqual(readdirSync(d).sort(), [...keptBySupervisord].sort());
    assert.deepEqual(warnings, []);
  });

  test('an unreadable childlogdir warns like supervisord', () => {
    const warnings: string[] = [];
    purgeAutoLogs(join(dir, 'nope'), 'x', (m) => warnings.push(m));
    assert.deepEqual(warnings, ['Could not clear childlog dir']);
  });

  test('a match that cannot be removed is reported, not thrown', () => {
    const d = freshDir('purge-fail');
    const stuck = join(d, 'p-stdout---fvtest-abcdefgh.log');
    mkdirSync(stuck);
    const warnings: string[] = [];
    assert.deepEqual(purgeAutoLogs(d, 'fvtest', (m) => warnings.push(m)).removed, []);
    assert.deepEqual(warnings, [`Failed to clean up '${stuck}'`]);
  });

  test('an identifier that is not a valid pattern is matched literally', () => {
    const re = autoLogPattern('a(b');
    assert.ok(re.test('p-stdout---a(b-12345678.log'));
  });
});

describe('openChildLogs', () => {
  const opts = (d: string) => ({ childlogdir: d, identifier: 'supervisor', stripAnsi: false });

  test('file and NONE channels', () => {
    const d = freshDir('open');
    const out = join(d, 'out.log');
    const logs = openChildLogs(proc(channel({ kind: 'file', path: out }), channel({ kind: 'none' })), opts(d));
    assert.equal(logs.stderr, undefined);
    logs.stdout!.write(Buffer.from('hi\n'));
    assert.equal(readFileSync(out, 'utf8'), 'hi\n');
    assert.equal(logs.stdout!.path, out);
    logs.stdout!.close();
  });

  test('redirect_stderr gives no stderr log, even with a path', () => {
    const d = freshDir('redirect');
    const logs = openChildLogs(
      proc(channel({ kind: 'file', path: join(d, 'o.log') }), channel({ kind: 'file', path: join(d, 'e.log') }), { redirectStderr: true }),
      opts(d),
    );
    assert.equal(logs.stderr, undefined);
    assert.equal(existsSync(join(d, 'e.log')), false);
    logs.stdout!.close();
  });

  test('AUTO still unresolved gets a file in childlogdir', () => {
    const d = freshDir('auto');
    const logs = openChildLogs(proc(channel({ kind: 'auto' }), channel({ kind: 'auto' })), opts(d));
    assert.match(basename(logs.stdout!.path), /^web_01-stdout---supervisor-/);
    assert.match(basename(logs.stderr!.path), /^web_01-stderr---supervisor-/);
    logs.stdout!.close();
    logs.stderr!.close();
  });

  test('rotation settings come from the channel', () => {
    const d = freshDir('rot');
    const out = join(d, 'o.log');
    const logs = openChildLogs(
      proc(channel({ kind: 'file', path: out }, { logfileMaxbytes: 4, logfileBackups: 1 }), channel({ kind: 'none' })),
      opts(d),
    );
    logs.stdout!.write(Buffer.from('12345'));
    assert.equal(readFileSync(`${out}.1`, 'utf8'), '12345');
    logs.stdout!.close();
  });

  test('strip_ansi removes escapes before writing', () => {
    const d = freshDir('strip');
    const out = join(d, 'o.log');
    const logs = openChildLogs(proc(channel({ kind: 'file', path: out }), channel({ kind: 'none' })), { ...opts(d), stripAnsi: true });
    logs.stdout!.write(Buffer.from('a\x1b[31mred\x1b[0m\n'));
    assert.equal(readFileSync(out, 'utf8'), 'ared\n');
    assert.deepEqual(logs.stdout!.tail(0, 100), ['ared\n', 5, false]);
    logs.stdout!.close();
  });

  test('syslog lines get a "<procname> " prefix, alongside the file', () => {
    const d = freshDir('syslog');
    const out = join(d, 'o.log');
    const lines: string[] = [];
    const logs = openChildLogs(
      proc(channel({ kind: 'file', path: out }, { syslog: true }), channel({ kind: 'syslog' })),
      { ...opts(d), stripAnsi: true, syslog: (l) => lines.push(l) },
    );
    logs.stdout!.write(Buffer.from('one\n\x1b[1mtwo\x1b[0m\n\n'));
    logs.stderr!.write(Buffer.from('err'));
    assert.deepEqual(lines, ['web_01 one', 'web_01 two', 'web_01 err']);
    assert.equal(readFileSync(out, 'utf8'), 'one\ntwo\n\n');
    assert.equal(logs.stderr!.path, '');
    assert.deepEqual(logs.stderr!.tail(0, 10), ['', 0, false]);
    assert.throws(() => logs.stderr!.read(0, 10), (e: unknown) => e instanceof RpcFault && e.faultString === 'NO_FILE');
    logs.stdout!.close();
    logs.stderr!.close();
  });

  test('a log that cannot be opened throws and leaves nothing open', () => {
    const d = freshDir('fail');
    assert.throws(
      () => openChildLogs(proc(channel({ kind: 'file', path: join(d, 'o.log') }), channel({ kind: 'file', path: join(d, 'no/such/e.log') })), opts(d)),
      (e: unknown) => (e as { errno?: string }).errno === 'ENOENT',
    );
  });
});
