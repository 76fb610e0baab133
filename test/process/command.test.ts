import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { commandSearchPath, resolveCommand } from '../../node-agent/process/command.js';

const dir = mkdtempSync(join(tmpdir(), 'fv-cmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const bin1 = join(dir, 'bin1');
const bin2 = join(dir, 'bin2');
mkdirSync(bin1);
mkdirSync(bin2);
writeFileSync(join(bin1, 'tool'), 'not executable\n', { mode: 0o644 });
writeFileSync(join(bin2, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
writeFileSync(join(bin2, 'other'), '#!/bin/sh\n', { mode: 0o755 });
mkdirSync(join(dir, 'adir'));

test('an argv0 with a slash is used as is', () => {
  assert.deepEqual(resolveCommand('/bin/echo hi "a b"', []), {
    ok: true,
    command: { filename: '/bin/echo', argv: ['/bin/echo', 'hi', 'a b'] },
  });
});

test('a bare argv0 takes the first PATH entry that stats, even when not executable', () => {
  assert.deepEqual(resolveCommand('other x', [bin1, bin2]), {
    ok: true,
    command: { filename: join(bin2, 'other'), argv: ['other', 'x'] },
  });
  // supervisord stops at the first hit, so bin1's non-executable "tool" wins over bin2's.
  assert.deepEqual(resolveCommand('tool', [bin1, bin2]), {
    ok: false,
    error: { fault: 'NOT_EXECUTABLE', message: `command at '${join(bin1, 'tool')}' is not executable` },
  });
});

test('pre-fork check messages are supervisord’s', () => {
  const cases: Array<[string, string[], 'NO_FILE' | 'NOT_EXECUTABLE', string]> = [
    ['/nonexistent/bin', [], 'NO_FILE', "can't find command '/nonexistent/bin'"],
    ['nosuchtool', [bin1], 'NO_FILE', "can't find command 'nosuchtool'"],
    [join(dir, 'adir'), [], 'NOT_EXECUTABLE', `command at '${join(dir, 'adir')}' is a directory`],
    ['', [], 'NOT_EXECUTABLE', 'command is empty'],
    ['   ', [], 'NOT_EXECUTABLE', 'command is empty'],
    ['"abc', [], 'NOT_EXECUTABLE', `can't parse command '"abc': No closing quotation`],
    ["it's", [], 'NOT_EXECUTABLE', `can't parse command "it's": No closing quotation`],
    ['abc\\', [], 'NOT_EXECUTABLE', `can't parse command 'abc\\\\': No escaped character`],
  ];
  for (const [command, path, fault, message] of cases) {
    assert.deepEqual(resolveCommand(command, path), { ok: false, error: { fault, message } }, command);
  }
});

test('no permission to run: executable bit set but access(X_OK) fails', { skip: process.getuid?.() === 0 && 'root passes access(X_OK)' }, () => {
  const file = join(dir, 'only-others');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o601);
  assert.deepEqual(resolveCommand(file, []), {
    ok: false,
    error: { fault: 'NOT_EXECUTABLE', message: `no permission to run command '${file}'` },
  });
});

test('search path: program PATH (even empty), else daemon PATH, else the default', () => {
  assert.deepEqual(commandSearchPath({ PATH: '/a:/b' }, { PATH: '/c' }), ['/a', '/b']);
  assert.deepEqual(commandSearchPath({ PATH: '' }, { PATH: '/c' }), ['']);
  assert.deepEqual(commandSearchPath({}, { PATH: '/c:/d' }), ['/c', '/d']);
  assert.deepEqual(commandSearchPath({}, { PATH: '' }), ['/bin', '/usr/bin', '/usr/local/bin']);
  assert.deepEqual(commandSearchPath({}, {}), ['/bin', '/usr/bin', '/usr/local/bin']);
});
