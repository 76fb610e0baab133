import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../node-agent/config/index.js';
import type { SupervisorConfig } from '../../node-agent/config/types.js';

const env = { HOME: '/root', PATH: '/usr/bin:/bin', FOO: 'foo-env' };

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fv-cfg-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(dir: string, body: string, extra: Parameters<typeof loadConfig>[1] = {}): SupervisorConfig {
  const base = `[supervisord]\nlogfile=%(here)s/l.log\npidfile=%(here)s/p.pid\n`;
  writeFileSync(join(dir, 'c.conf'), base + body);
  return loadConfig('c.conf', { cwd: dir, env, hostNodeName: 'testhost', ...extra });
}

test("Debian's stock /etc/supervisor/supervisord.conf loads unchanged", { skip: !existsSync('/etc/supervisor/supervisord.conf') }, () => {
  const config = loadConfig('/etc/supervisor/supervisord.conf', { env });
  assert.equal(config.file, '/etc/supervisor/supervisord.conf');
  assert.deepEqual(config.supervisord.logfile, { kind: 'file', path: '/var/log/supervisor/supervisord.log' });
  assert.equal(config.supervisord.pidfile, '/var/run/supervisord.pid');
  assert.equal(config.supervisord.childlogdir, '/var/log/supervisor');
  assert.deepEqual(config.unixHttpServers, [{ section: 'unix_http_server', file: '/var/run/supervisor.sock', chmod: 0o700 }]);
  assert.deepEqual(config.rpcInterfaces, [
    { name: 'supervisor', factory: 'supervisor.rpcinterface:make_main_rpcinterface', options: {} },
  ]);
  assert.deepEqual(config.supervisorctl, { serverurl: 'unix:///var/run/supervisor.sock', prompt: 'supervisor' });
  assert.deepEqual(config.inetHttpServers, []);
});

test('[supervisord] defaults', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'c.conf'), '[supervisord]\n');
    const s = loadConfig('c.conf', { cwd: dir, env: { ...env, TMPDIR: dir } }).supervisord;
    assert.deepEqual(s.logfile, { kind: 'file', path: join(dir, 'supervisord.log') });
    assert.equal(s.pidfile, join(dir, 'supervisord.pid'));
    assert.equal(s.childlogdir, dir);
    assert.equal(s.logfileMaxbytes, 50 * 1024 * 1024);
    assert.equal(s.logfileBackups, 10);
    assert.equal(s.loglevel, 'info');
    assert.equal(s.umask, 0o22);
    assert.equal(s.minfds, 1024);
    assert.equal(s.minprocs, 200);
    assert.equal(s.identifier, 'supervisor');
    assert.equal(s.nodaemon, false);
    assert.equal(s.stripAnsi, false);
    assert.equal(s.user, undefined);
    assert.deepEqual(s.environment, {});
  });
});

test('program defaults and every option', () => {
  withDir((dir) => {
    const c = load(dir, '[program:a]\ncommand=/bin/cat\n[program:b]\ncommand=/bin/sleep 9\npriority=5\nautostart=false\n' +
      'autorestart=true\nstartsecs=0\nstartretries=7\nexitcodes=0,2\nstopsignal=KILL\nstopwaitsecs=3\nstopasgroup=true\n' +
      'user=root\nredirect_stderr=true\nstdout_logfile=%(here)s/out.log\nstdout_logfile_maxbytes=1KB\nstdout_logfile_backups=2\n' +
      'stdout_capture_maxbytes=1MB\nstdout_events_enabled=true\nstdout_syslog=true\nenvironment=X="1,2"\ndirectory=/tmp\numask=002\n' +
      'serverurl=http://127.0.0.1:9001\n');
    assert.deepEqual(c.groups.map((g) => g.name), ['b', 'a']);
    const a = c.groups[1].processes[0];
    assert.deepEqual(
      { ...a },
      {
        section: 'program:a', programName: 'a', name: 'a', command: '/bin/cat', priority: 999, autostart: true,
        autorestart: 'unexpected', startsecs: 1, startretries: 3, exitcodes: [0], stopsignal: 15, stopwaitsecs: 10,
        stopasgroup: false, killasgroup: false, redirectStderr: false,
        stdout: { logfile: { kind: 'auto' }, logfileMaxbytes: 52428800, logfileBackups: 10, captureMaxbytes: 0, eventsEnabled: false, syslog: false },
        stderr: { logfile: { kind: 'auto' }, logfileMaxbytes: 52428800, logfileBackups: 10, captureMaxbytes: 0, eventsEnabled: false, syslog: false },
        environment: {},
      },
    );
    const b = c.groups[0].processes[0];
    assert.equal(b.priority, 5);
    assert.equal(b.autostart, false);
    assert.equal(b.autorestart, 'true');
    assert.deepEqual(b.exitcodes, [0, 2]);
    assert.equal(b.stopsignal, 9);
    assert.equal(b.killasgroup, true, 'killasgroup defaults to stopasgroup');
    assert.deepEqual(b.user, { name: 'root', uid: 0, gid: 0 });
    assert.deepEqual(b.stdout, { logfile: { kind: 'file', path: `${dir}/out.log` }, logfileMaxbytes: 1024, logfileBackups: 2, captureMaxbytes: 1048576, eventsEnabled: true, syslog: true });
    assert.deepEqual(b.stderr.logfile, { kind: 'none' }, 'redirect_stderr never opens a stderr log');
    assert.deepEqual(b.environment, { X: '1,2' });
    assert.equal(b.directory, '/tmp');
    assert.equal(b.umask, 0o2);
    assert.equal(b.serverurl, 'http://127.0.0.1:9001');
  });
});

test('numprocs expansion with every program-scope name', () => {
  withDir((dir) => {
    const c = load(dir, '[program:web]\nnumprocs=3\nnumprocs_start=8\nprocess_name=%(program_name)s_%(process_num)02d\n' +
      'command=/bin/echo %(group_name)s %(host_node_name)s %(numprocs)d %(here)s %(ENV_FOO)s %(ENV_LOCAL)s\n' +
      'environment=LOCAL=n%(process_num)d\nstdout_logfile=%(here)s/%(program_name)s-%(process_num)d.log\n');
    const procs = c.groups[0].processes;
    assert.deepEqual(procs.map((p) => p.name), ['web_08', 'web_09', 'web_10']);
    assert.equal(procs[0].command, `/bin/echo web testhost 3 ${dir} foo-env n8`);
    assert.deepEqual(procs[2].environment, { LOCAL: 'n10' });
    assert.deepEqual(procs[1].stdout.logfile, { kind: 'file', path: `${dir}/web-9.log` });
  });
});

test('[supervisord] environment: expanded twice, merged under program env, visible as ENV_*', () => {
  withDir((dir) => {
    const c = load(dir, '[supervisord]\nenvironment=G=global,PCT=%%%%,SHARED=g\n[program:a]\ncommand=/bin/x %(ENV_G)s %(ENV_PCT)s\n' +
      'environment=SHARED=p,L=%(ENV_G)s-l\n');
    assert.deepEqual(c.supervisord.environment, { G: 'global', PCT: '%', SHARED: 'g' });
    const p = c.groups[0].processes[0];
    assert.equal(p.command, '/bin/x global %');
    assert.deepEqual(p.environment, { G: 'global', PCT: '%', SHARED: 'p', L: 'global-l' });
  });
});

test('heterogeneous groups take their members out of the program list; groups and processes sorted', () => {
  withDir((dir) => {
    const c = load(dir, '[group:g]\nprograms=b, a\npriority=3\n[program:a]\ncommand=/bin/cat %(group_name)s\npriority=2\n' +
      '[program:b]\ncommand=/bin/cat\npriority=1\n[program:c]\ncommand=/bin/cat\npriority=3\n[program:aa]\ncommand=/bin/cat\npriority=3\n' +
      '[eventlistener:l]\ncommand=/bin/cat\nevents=tick_5, process_state,TICK_5\n');
    assert.deepEqual(c.groups.map((g) => [g.name, g.kind, g.priority]), [
      ['l', 'eventlistener', -1], ['aa', 'program', 3], ['c', 'program', 3], ['g', 'group', 3],
    ]);
    const g = c.groups[3];
    assert.equal(g.section, 'group:g');
    assert.deepEqual(g.processes.map((p) => [p.name, p.priority, p.section]), [['b', 1, 'program:b'], ['a', 2, 'program:a']]);
    assert.equal(g.processes[1].command, '/bin/cat g');
    assert.deepEqual(c.groups[0].processes[0].listener, {
      events: ['TICK_5', 'PROCESS_STATE'], bufferSize: 10, resultHandler: 'supervisor.dispatchers:default_handler',
    });
  });
});

test('[DEFAULT] values reach every section', () => {
  withDir((dir) => {
    const c = load(dir, '[DEFAULT]\nautostart=false\nstartsecs=7\n[program:a]\ncommand=/bin/cat\n[program:b]\ncommand=/bin/cat\nstartsecs=3\n' +
      '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n');
    assert.deepEqual(c.groups.map((g) => [g.name, g.processes[0].autostart, g.processes[0].startsecs]), [['a', false, 7], ['b', false, 3]]);
    assert.deepEqual(c.rpcInterfaces[0].options, { autostart: 'false', startsecs: '7' }, 'DEFAULT keys leak into factory kwargs');
  });
});

test('[include]: globs relative to the main file, sorted, %(here)s per file, sections mapped to their file', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'b.conf'), '[program:b]\ncommand=/bin/b %(here)s\n');
    writeFileSync(join(dir, 'conf.d', 'a.conf'), '[program:a]\ncommand=/bin/a %(here)s\n[include]\nfiles=nested.conf\n');
    writeFileSync(join(dir, 'conf.d', '.hidden.conf'), '[program:hidden]\ncommand=/bin/h\n');
    const c = load(dir, '[include]\nfiles = conf.d/*.conf\n   none*.conf\n[program:main]\ncommand=/bin/m %(here)s\n');
    assert.deepEqual(c.files, [join(dir, 'c.conf'), join(dir, 'conf.d/a.conf'), join(dir, 'conf.d/b.conf')]);
    assert.deepEqual(c.groups.map((g) => [g.name, g.processes[0].command]), [
      ['a', `/bin/a ${dir}/conf.d`], ['b', `/bin/b ${dir}/conf.d`], ['main', `/bin/m ${dir}`],
    ]);
    assert.deepEqual(c.warnings, [
      { level: 'warn', message: `No file matches via include "${dir}/none*.conf"` },
      { level: 'info', message: `Included extra file "${dir}/conf.d/a.conf" during parsing` },
      { level: 'info', message: `Included extra file "${dir}/conf.d/b.conf" during parsing` },
    ]);
  });
});

test('parse-time warnings of supervisord', () => {
  withDir((dir) => {
    const c = load(dir, '[program:a]\ncommand=/bin/cat\nstdout_logfile=syslog\nstderr_logfile=%(here)s/e.log\nredirect_stderr=true\n' +
      '[program:b]\ncommand=/bin/cat\nstdout_logfile_maxbytes=0\n');
    assert.deepEqual(c.warnings.map((w) => w.message), [
      'For [program:a], stdout_logfile=syslog but this is deprecated and will be removed.  Use stdout_syslog=true to enable syslog instead.',
      'For [program:a], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored',
      'For [program:b], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
    ]);
    const a = c.groups[0].processes[0];
    assert.deepEqual(a.stdout.logfile, { kind: 'none' });
    assert.equal(a.stdout.syslog, true);
  });
});

test('HTTP servers', () => {
  withDir((dir) => {
    const c = load(dir, '[inet_http_server]\nport=*:9001\nusername=u\npassword={SHA}abc\n[inet_http_server:two]\nport=LOCALHOST:9002\n' +
      '[unix_http_server]\nfile=%(here)s/x/../s.sock \nchmod=0777\nchown=root:root\n');
    assert.deepEqual(c.inetHttpServers, [
      { section: 'inet_http_server', host: '', port: 9001, username: 'u', password: '{SHA}abc' },
      { section: 'inet_http_server:two', host: 'localhost', port: 9002 },
    ]);
    assert.deepEqual(c.unixHttpServers, [
      { section: 'unix_http_server', file: `${dir}/s.sock`, chmod: 0o777, chown: { uid: 0, gid: 0 } },
    ]);
  });
});

test('command-line overrides win over the file; a user override skips the file user', () => {
  withDir((dir) => {
    const c = load(dir, '[supervisord]\nuser=nosuchuser\nnodaemon=false\n', {
      overrides: { nodaemon: true, pidfile: 'other.pid', user: { name: 'root', uid: 0, gid: 0 } },
    });
    assert.equal(c.supervisord.nodaemon, true);
    assert.equal(c.supervisord.pidfile, join(dir, 'other.pid'));
    assert.deepEqual(c.supervisord.user, { name: 'root', uid: 0, gid: 0 });
  });
});

test('the result is deep-frozen', () => {
  withDir((dir) => {
    const c = load(dir, '[program:a]\ncommand=/bin/cat\nenvironment=A=1\n');
    assert.ok(Object.isFrozen(c));
    assert.ok(Object.isFrozen(c.groups[0].processes[0].environment));
    assert.throws(() => {
      (c.groups as unknown as unknown[]).push(1);
    }, TypeError);
  });
});

test('a bad [supervisorctl] section does not stop the daemon config', () => {
  withDir((dir) => {
    const c = load(dir, '[supervisorctl]\nserverurl=%(nope)s\n');
    assert.equal(c.supervisorctl, undefined);
  });
});

test('command-line values: converted like supervisord, -u checked after the file', async () => {
  const { toSupervisordOverride } = await import('../../node-agent/config/index.js');
  withDir((dir) => {
    const ctx = { cwd: dir, env };
    assert.deepEqual(toSupervisordOverride('umask', '077', ctx), { umask: 0o77 });
    assert.deepEqual(toSupervisordOverride('logfile_maxbytes', '1KB', ctx), { logfileMaxbytes: 1024 });
    assert.deepEqual(toSupervisordOverride('logfile', 'x.log', ctx), { logfile: { kind: 'file', path: 'x.log' } });
    assert.throws(() => toSupervisordOverride('umask', '9', ctx), { message: '9 can not be converted to an octal type' });
    assert.throws(() => toSupervisordOverride('minfds', 'x', ctx), { message: "invalid literal for int() with base 10: 'x'" });
    const c = load(dir, '[supervisord]\nuser=nosuchuser\n', {
      overrides: toSupervisordOverride('logfile', 'x.log', ctx),
      cliUser: 'root',
    });
    assert.deepEqual(c.supervisord.logfile, { kind: 'file', path: join(dir, 'x.log') });
    assert.deepEqual(c.supervisord.user, { name: 'root', uid: 0, gid: 0 });
    assert.throws(() => load(dir, '[program:a]\ncommand=x\nautostart=bad\n', { cliUser: 'nosuchuser' }), /not a valid boolean value/);
    assert.throws(() => load(dir, '', { cliUser: 'nosuchuser' }), { message: 'Invalid user name nosuchuser' });
  });
});
