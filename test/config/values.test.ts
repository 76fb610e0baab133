import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from '../../node-agent/config/values.js';
import { parseEnvironmentPairs, shlexNonPosix } from '../../node-agent/config/envpairs.js';
import { expandUser, loadUserDatabase, resolveGroupId, resolveUser } from '../../node-agent/config/users.js';

type Case = [input: string, expected: unknown];

function good(fn: (s: string) => unknown, cases: Case[]): void {
  for (const [input, expected] of cases) assert.deepEqual(fn(input), expected, `input ${JSON.stringify(input)}`);
}

function bad(fn: (s: string) => unknown, cases: [string, string][]): void {
  for (const [input, message] of cases) {
    assert.throws(() => fn(input), { code: 'FV_CONFIG_BAD_VALUE', message }, `input ${JSON.stringify(input)}`);
  }
}

test('boolean', () => {
  good(v.toBoolean, [['true', true], ['YES', true], ['On', true], ['1', true], ['false', false], ['No', false], ['OFF', false], ['0', false]]);
  bad(v.toBoolean, [
    ['maybe', "not a valid boolean value: 'maybe'"],
    ['', "not a valid boolean value: ''"],
    [' true', "not a valid boolean value: ' true'"],
    ["it's", `not a valid boolean value: "it's"`],
  ]);
});

test('integer (Python int())', () => {
  good(v.toInteger, [['12', 12], [' 12 ', 12], ['+5', 5], ['-3', -3], ['1_000', 1000], ['007', 7]]);
  bad(v.toInteger, [
    ['abc', "invalid literal for int() with base 10: 'abc'"],
    ['', "invalid literal for int() with base 10: ''"],
    ['1.5', "invalid literal for int() with base 10: '1.5'"],
    ['1__0', "invalid literal for int() with base 10: '1__0'"],
    ['0x10', "invalid literal for int() with base 10: '0x10'"],
  ]);
});

test('byte size', () => {
  good(v.toByteSize, [['0', 0], ['120', 120], ['1KB', 1024], ['10 MB', 10485760], ['2gb', 2147483648], ['50Mb', 52428800]]);
  bad(v.toByteSize, [
    ['10B', "invalid literal for int() with base 10: '10b'"],
    ['KB', "invalid literal for int() with base 10: ''"],
    ['1XB', "invalid literal for int() with base 10: '1xb'"],
    ['abcMB', "invalid literal for int() with base 10: 'abc'"],
  ]);
});

test('octal', () => {
  good(v.toOctal, [['022', 0o22], ['22', 0o22], ['0o22', 0o22], ['0777', 0o777], ['7', 7]]);
  bad(v.toOctal, [
    ['088', '088 can not be converted to an octal type'],
    ['', ' can not be converted to an octal type'],
    ['0x1', '0x1 can not be converted to an octal type'],
  ]);
});

test('signal names and numbers', () => {
  good(v.toSignalNumber, [
    ['TERM', 15], ['term', 15], ['SIGKILL', 9], [' sigint ', 2], ['9', 9], ['HUP', 1], ['usr2', 12],
    ['IOT', 6], ['rtmin', 34], ['RTMAX', 64], ['0', 0], ['_DFL', 0],
  ]);
  bad(v.toSignalNumber, [
    ['FOO', "value 'FOO' is not a valid signal name"],
    ['', "value '' is not a valid signal name"],
    ['0x9', "value '0x9' is not a valid signal name"],
    ['40', "value '40' is not a valid signal number"],
    ['-9', "value '-9' is not a valid signal number"],
    ['65', "value '65' is not a valid signal number"],
  ]);
});

test('exit codes', () => {
  good(v.toExitCodes, [['0', [0]], ['0,2', [0, 2]], [' 1 , 2 ', [1, 2]], ['', []], ['255', [255]]]);
  bad(v.toExitCodes, [
    ['0,256', "not a valid list of exit codes: '0,256'"],
    ['0,,1', "not a valid list of exit codes: '0,,1'"],
    ['a', "not a valid list of exit codes: 'a'"],
    ['-1', "not a valid list of exit codes: '-1'"],
  ]);
});

test('autorestart', () => {
  good(v.toAutoRestart, [['unexpected', 'unexpected'], ['UNEXPECTED', 'unexpected'], ['true', 'true'], ['yes', 'true'], ['0', 'false'], ['Off', 'false']]);
  bad(v.toAutoRestart, [['Sometimes', "invalid 'autorestart' value 'sometimes'"]]);
});

test('log levels (warning is not one)', () => {
  good(v.toLogLevel, [['info', 'info'], ['WARN', 'warn'], ['Blather', 'blather'], ['critical', 'critical'], ['trace', 'trace']]);
  bad(v.toLogLevel, [['warning', "bad logging level name 'warning'"], ['WARNING', "bad logging level name 'WARNING'"]]);
});

test('inet port', () => {
  good(v.toInetAddress, [
    ['9001', { host: '', port: 9001 }],
    ['*:9001', { host: '', port: 9001 }],
    [':9001', { host: '', port: 9001 }],
    ['LOCALHOST:9002', { host: 'localhost', port: 9002 }],
    ['127.0.0.1:1', { host: '127.0.0.1', port: 1 }],
  ]);
  bad(v.toInetAddress, [
    ['abc', "not a valid port number: 'abc' "],
    ['0', "not a valid port number: '0' "],
    ['127.0.0.1:', "no port number specified in ''"],
    ['127.0.0.1:70000', '70000 is above upper bound (65535)'],
    ['h:0', '0 is below lower bound (1)'],
    ['h:x', "invalid literal for int() with base 10: 'x'"],
  ]);
});

test('process and group names', () => {
  good(v.toProcessOrGroupName, [['web', 'web'], [' web ', 'web'], ['a-b.c_d', 'a-b.c_d']]);
  bad(v.toProcessOrGroupName, [
    ['a b', "Invalid name: 'a b' because of character: ' '"],
    ['a:b', "Invalid name: 'a:b' because of character: ':'"],
    ['x/y', "Invalid name: 'x/y' because of character: '/'"],
    ['a:b c/', "Invalid name: 'a:b c/' because of character: ' '"],
  ]);
});

test('environment pairs: shlex non-POSIX quirks', () => {
  const table: [string, Record<string, string>][] = [
    ['A=1', { A: '1' }],
    ['A=1,B=2,', { A: '1', B: '2' }],
    [`K="a,b",K2='x y'`, { K: 'a,b', K2: 'x y' }],
    ['A=1;B=2', { A: '1', B: '2' }],
    ['A=hello world', { A: 'hello' }],
    ['A=$HOME', { A: '$' }],
    ['PATH=/usr/bin:/bin,X=a.b+c-d(e)', { PATH: '/usr/bin:/bin', X: 'a.b+c-d(e)' }],
    ['', {}],
    ['"A"=1', { '"A"': '1' }],
  ];
  for (const [input, expected] of table) assert.deepEqual(parseEnvironmentPairs(input), expected, input);
  assert.deepEqual(shlexNonPosix('a#b\nc=d'), ['ac', '=', 'd']);
  assert.deepEqual(shlexNonPosix(`x"y z"`), ['x"y', 'z"']);
  assert.throws(() => parseEnvironmentPairs('A=1,B'), { message: "Unexpected end of key/value pairs in value 'A=1,B'" });
  assert.throws(() => parseEnvironmentPairs('A='), { message: "Unexpected end of key/value pairs in value 'A='" });
  assert.throws(() => parseEnvironmentPairs("A='x"), { message: 'No closing quotation' });
  assert.deepEqual(Object.keys(parseEnvironmentPairs('__proto__=x')), ['__proto__']);
});

test('paths: logfile kinds, existing dirpath and directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-values-'));
  try {
    mkdirSync(join(dir, 'sub'));
    const ctx = { cwd: dir, env: { HOME: dir }, users: loadUserDatabase() };
    assert.deepEqual(v.toLogfile('AUTO', ctx), { kind: 'auto' });
    assert.deepEqual(v.toLogfile('none', ctx), { kind: 'none' });
    assert.deepEqual(v.toLogfile('Off', ctx), { kind: 'none' });
    assert.deepEqual(v.toLogfile('syslog', ctx), { kind: 'syslog' });
    assert.deepEqual(v.toLogfile('sub/x.log', ctx), { kind: 'file', path: 'sub/x.log' });
    assert.deepEqual(v.toLogfile('bare.log', ctx), { kind: 'file', path: 'bare.log' });
    assert.deepEqual(v.toLogfile('~/sub/x.log', ctx), { kind: 'file', path: `${dir}/sub/x.log` });
    assert.throws(() => v.toLogfile('/nonexistent/x.log', ctx), {
      message: 'The directory named as part of the path /nonexistent/x.log does not exist',
    });
    assert.equal(v.toExistingDirectory('sub', ctx), 'sub');
    assert.throws(() => v.toExistingDirectory('nope', ctx), { message: 'nope is not an existing directory' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('users and groups from passwd/group files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-users-'));
  try {
    writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nweb:x:1001:1002::/home/web:/bin/sh\n');
    writeFileSync(join(dir, 'group'), 'root:x:0:\nwebgrp:x:1002:\n');
    const db = loadUserDatabase({ passwdFile: join(dir, 'passwd'), groupFile: join(dir, 'group') });
    assert.deepEqual(resolveUser('web', db), { name: 'web', uid: 1001, gid: 1002 });
    assert.deepEqual(resolveUser('1001', db), { name: 'web', uid: 1001, gid: 1002 });
    assert.deepEqual(resolveUser('0', db), { name: 'root', uid: 0, gid: 0 });
    assert.throws(() => resolveUser('nobody2', db), { message: 'Invalid user name nobody2' });
    assert.throws(() => resolveUser('4242', db), { message: 'Invalid user id 4242' });
    assert.equal(resolveGroupId('webgrp', db), 1002);
    assert.throws(() => resolveGroupId('nogrp', db), { message: 'Invalid group name nogrp' });
    assert.equal(expandUser('~web/logs', {}, db), '/home/web/logs');
    assert.equal(expandUser('~/x', { HOME: '/' }, db), '/x');
    assert.equal(expandUser('~nosuch/x', {}, db), '~nosuch/x');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
