// Every expected message here was produced by the real supervisord 4.2.5
// (`supervisord -c c.conf -n` in a temp dir, env HOME=/root PATH=/usr/bin:/bin).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../node-agent/config/index.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';

const env = { HOME: '/root', PATH: '/usr/bin:/bin' };
const PROGRAM_NAMES = 'ENV_HOME, ENV_PATH, group_name, here, host_node_name, numprocs, process_num, program_name';

function loadError(body: string, raw = false): FleetvisorError {
  const dir = mkdtempSync(join(tmpdir(), 'fv-cfgerr-'));
  try {
    mkdirSync(join(dir, 'inc'));
    writeFileSync(join(dir, 'inc', 'bad.conf'), '[program:inc]\ncommand=/bin/cat\nstartsecs=x\n');
    const base = `[supervisord]\nlogfile=${dir}/l.log\npidfile=${dir}/p.pid\n`;
    writeFileSync(join(dir, 'c.conf'), raw ? body : base + body);
    try {
      loadConfig('c.conf', { cwd: dir, env, hostNodeName: 'testhost' });
    } catch (err) {
      assert.ok(err instanceof FleetvisorError, String(err));
      return new FleetvisorError(err.code, err.message.replaceAll(dir, 'DIR'));
    }
    assert.fail(`config loaded without error:\n${body}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const framed = (msg: string, section = 'program:a', file = 'c.conf') => `${msg} in section '${section}' (file: '${file}')`;
const P = '[program:a]\ncommand=/bin/cat\n';

const cases: [body: string, code: string, message: string][] = [
  [P + 'autostart=maybe\n', 'FV_CONFIG_BAD_VALUE', framed("not a valid boolean value: 'maybe'")],
  [P + 'startsecs=x1\n', 'FV_CONFIG_BAD_VALUE', framed("invalid literal for int() with base 10: 'x1'")],
  [P + 'startsecs=\n', 'FV_CONFIG_BAD_VALUE', framed("invalid literal for int() with base 10: ''")],
  // A program's priority is read at group level, so it is not framed.
  [P + 'priority=abc\n', 'FV_CONFIG_BAD_VALUE', "invalid literal for int() with base 10: 'abc'"],
  [P + 'stdout_logfile_maxbytes=10B\n', 'FV_CONFIG_BAD_VALUE', framed("invalid literal for int() with base 10: '10b'")],
  [P + 'umask=088\n', 'FV_CONFIG_BAD_VALUE', framed('088 can not be converted to an octal type')],
  [P + 'stopsignal=FOO\n', 'FV_CONFIG_BAD_VALUE', framed("value 'FOO' is not a valid signal name")],
  [P + 'stopsignal=40\n', 'FV_CONFIG_BAD_VALUE', framed("value '40' is not a valid signal number")],
  [P + 'exitcodes=0,256\n', 'FV_CONFIG_BAD_VALUE', framed("not a valid list of exit codes: '0,256'")],
  [P + 'autorestart=Sometimes\n', 'FV_CONFIG_BAD_VALUE', framed("invalid 'autorestart' value 'sometimes'")],
  [P + 'stdout_logfile=/nonexistent/x.log\n', 'FV_CONFIG_BAD_VALUE', framed('The directory named as part of the path /nonexistent/x.log does not exist')],
  [P + 'user=nosuchuser\n', 'FV_CONFIG_BAD_VALUE', framed('Invalid user name nosuchuser')],
  [P + 'user=4242\n', 'FV_CONFIG_BAD_VALUE', framed('Invalid user id 4242')],
  [P + 'process_name=x/y\n', 'FV_CONFIG_BAD_VALUE', framed("Invalid name: 'x/y' because of character: '/'")],
  [P + 'numprocs=2\n', 'FV_CONFIG_BAD_VALUE', framed('%(process_num) must be present within process_name when numprocs > 1')],
  [P + 'stopasgroup=true\nkillasgroup=false\n', 'FV_CONFIG_BAD_VALUE', framed('Cannot set stopasgroup=true and killasgroup=false')],
  [P + 'environment=A=1,B\n', 'FV_CONFIG_BAD_VALUE', framed("Unexpected end of key/value pairs in value 'A=1,B'")],
  [P + "environment=A='x\n", 'FV_CONFIG_BAD_VALUE', framed('No closing quotation')],
  ['[program:a]\nenvironment=A=1\n', 'FV_CONFIG_MISSING', framed('program section program:a does not specify a command')],
  ['[program:a b]\ncommand=/bin/cat\n', 'FV_CONFIG_BAD_VALUE', "Invalid name: 'a b' because of character: ' '"],
  ['[eventlistener:a b]\ncommand=/bin/cat\nevents=TICK\n', 'FV_CONFIG_BAD_VALUE', framed("Invalid name: 'a b' because of character: ' '", 'eventlistener:a b')],
  ['[program:a]\ncommand=/bin/cat %(foo)s\n', 'FV_CONFIG_BAD_VALUE', framed(`Format string '/bin/cat %(foo)s' for 'program:a.command' contains names ('foo') which cannot be expanded. Available names: ${PROGRAM_NAMES}`)],
  ['[program:a]\ncommand=/bin/cat %(foo\n', 'FV_CONFIG_BAD_VALUE', framed("Format string '/bin/cat %(foo' for 'program:a.command' is badly formatted: incomplete format key")],
  ['[program:a]\ncommand=/bin/cat %(program_name)d\n', 'FV_CONFIG_BAD_VALUE', framed("Format string '/bin/cat %(program_name)d' for 'program:a.command' is badly formatted: %d format: a real number is required, not str")],
  [P + 'priority=%(process_num)d\n', 'FV_CONFIG_BAD_VALUE', "Format string '%(process_num)d' for 'program:a.priority' contains names ('process_num') which cannot be expanded. Available names: ENV_HOME, ENV_PATH, here"],
  [P + 'stdout_logfile=%(program_name)s-%%(x)s.log\n', 'FV_CONFIG_BAD_VALUE', framed(`Format string 'a-%(x)s.log' for 'stdout_logfile' contains names ('x') which cannot be expanded. Available names: ${PROGRAM_NAMES}`)],
  [P + '[program:b]\ncommand=/bin/cat\nstartretries=zz\n', 'FV_CONFIG_BAD_VALUE', framed("invalid literal for int() with base 10: 'zz'", 'program:b')],
  ['[eventlistener:l]\ncommand=/bin/cat\n', 'FV_CONFIG_MISSING', '[eventlistener:l] section requires an "events" line'],
  ['[eventlistener:l]\ncommand=/bin/cat\nevents=FOO\n', 'FV_CONFIG_BAD_VALUE', 'Unknown event type FOO in [eventlistener:l] events'],
  ['[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5,\n', 'FV_CONFIG_BAD_VALUE', 'Unknown event type  in [eventlistener:l] events'],
  ['[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\nbuffer_size=0\n', 'FV_CONFIG_BAD_VALUE', '[eventlistener:l] section sets invalid buffer_size (0)'],
  ['[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\nredirect_stderr=true\n', 'FV_CONFIG_BAD_VALUE', '[eventlistener:l] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol'],
  ['[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\nresult_handler=foo:bar\n', 'FV_CONFIG_UNSUPPORTED', 'foo:bar cannot be resolved within [eventlistener:l]'],
  ['[group:g]\nprograms=a,b\n' + P, 'FV_CONFIG_MISSING', '[program:a] names unknown program or fcgi-program b'],
  ['[group:g]\nprograms=zz\n', 'FV_CONFIG_MISSING', '[group:g] names unknown program or fcgi-program zz'],
  ['[rpcinterface:x]\nfoo=bar\n', 'FV_CONFIG_MISSING', 'section [rpcinterface:x] does not specify a supervisor.rpcinterface_factory'],
  ['[rpcinterface:x]\nsupervisor.rpcinterface_factory=nope:nope\n', 'FV_CONFIG_UNSUPPORTED', 'nope:nope cannot be resolved within [rpcinterface:x]'],
  ['[inet_http_server]\nport=abc\n', 'FV_CONFIG_BAD_VALUE', "not a valid port number: 'abc' "],
  ['[inet_http_server]\nport=127.0.0.1:\n', 'FV_CONFIG_BAD_VALUE', "no port number specified in ''"],
  ['[inet_http_server]\nport=127.0.0.1:70000\n', 'FV_CONFIG_BAD_VALUE', '70000 is above upper bound (65535)'],
  ['[inet_http_server]\nusername=u\n', 'FV_CONFIG_MISSING', 'Section [inet_http_server] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified'],
  ['[inet_http_server]\n', 'FV_CONFIG_MISSING', 'section [inet_http_server] has no port value'],
  ['[unix_http_server:b]\nchmod=9\nfile=/tmp/x.sock\n', 'FV_CONFIG_BAD_VALUE', 'Invalid chmod value 9'],
  ['[unix_http_server:b]\nchown=nosuch\nfile=/tmp/x.sock\n', 'FV_CONFIG_BAD_VALUE', 'Invalid sockchown value nosuch'],
  ['[unix_http_server:b]\n', 'FV_CONFIG_MISSING', 'section [unix_http_server:b] has no file value'],
  ['[include]\n', 'FV_CONFIG_MISSING', '.ini file has [include] section, but no files setting'],
  ['[include]\nfiles=inc/*.conf\n', 'FV_CONFIG_BAD_VALUE', framed("invalid literal for int() with base 10: 'x'", 'program:inc', 'DIR/inc/bad.conf')],
  ['[supervisord]\nminfds=x\n', 'FV_CONFIG_BAD_VALUE', "invalid literal for int() with base 10: 'x'"],
  ['[supervisord]\numask=9\n', 'FV_CONFIG_BAD_VALUE', '9 can not be converted to an octal type'],
  ['[supervisord]\nchildlogdir=/nonexistent\n', 'FV_CONFIG_BAD_VALUE', '/nonexistent is not an existing directory'],
  ['[supervisord]\ndirectory=/nonexistent\n', 'FV_CONFIG_BAD_VALUE', '/nonexistent is not an existing directory'],
  ['[supervisord]\nlogfile=/nonexistent/l.log\n', 'FV_CONFIG_BAD_VALUE', 'The directory named as part of the path /nonexistent/l.log does not exist'],
  ['[supervisord]\nloglevel=WARNING\n', 'FV_CONFIG_BAD_VALUE', "bad logging level name 'WARNING'"],
  ['[supervisord]\nnodaemon=perhaps\n', 'FV_CONFIG_BAD_VALUE', "not a valid boolean value: 'perhaps'"],
  ['[supervisord]\nuser=nosuchuser\n', 'FV_CONFIG_BAD_VALUE', 'Invalid user name nosuchuser'],
  // [supervisord] environment is expanded twice in 4.2.5.
  ['[supervisord]\nenvironment=A=%%\n', 'FV_CONFIG_BAD_VALUE', "Format string 'A=%' for 'environment' is badly formatted: incomplete format"],
  [P + 'bad line\n  cont\nworse\n', 'FV_CONFIG_SYNTAX', "Source contains parsing errors: 'c.conf'\n\t[line  6]: 'bad line\\n'\n\t[line  8]: 'worse\\n'"],
  [P + '=x\n', 'FV_CONFIG_SYNTAX', "Source contains parsing errors: 'c.conf'\n\t[line  6]: '=x\\n'"],
];

test('bad configs fail with supervisord 4.2.5 messages', () => {
  for (const [body, code, message] of cases) {
    const err = loadError(body);
    assert.equal(err.message, message, body);
    assert.equal(err.code, code, body);
  }
});

test('structural errors', () => {
  assert.equal(loadError('foo=bar\n[supervisord]\n', true).message, "File contains no section headers.\nfile: 'c.conf', line: 1\n'foo=bar\\n'");
  assert.equal(loadError('[unix_http_server]\nfile=/tmp/zz.sock\n', true).message, '.ini file does not include supervisord section');
  assert.equal(loadError('', true).code, 'FV_CONFIG_MISSING');
});

test('fcgi-program sections are refused, naming the section', () => {
  const err = loadError('[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://localhost:9999\n');
  assert.equal(err.code, 'FV_CONFIG_UNSUPPORTED');
  assert.match(err.message, /^\[fcgi-program:f\] is not supported/);
  const viaGroup = loadError('[group:g]\nprograms=f\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://localhost:9999\n');
  assert.equal(viaGroup.code, 'FV_CONFIG_UNSUPPORTED');
  assert.match(viaGroup.message, /fcgi-program:f/);
});

test('missing and unreadable config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-cfgmissing-'));
  try {
    mkdirSync(join(dir, 'adir'));
    assert.throws(() => loadConfig('nosuch.conf', { cwd: dir }), {
      code: 'FV_CONFIG_NOT_FOUND',
      message: 'could not find config file nosuch.conf',
    });
    assert.throws(() => loadConfig('adir', { cwd: dir }), {
      code: 'FV_CONFIG_NOT_FOUND',
      message: 'could not read config file adir',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
