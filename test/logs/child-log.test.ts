import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileChildLog } from '../../node-agent/logs/child-log.js';
import { RpcFault } from '../../node-agent/api/faults.js';
import { LogFileError } from '../../node-agent/logs/log-file-error.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fv-childlog-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function freshPath(): string {
  return join(dir, `log${counter++}.log`);
}

function logWith(content: string, maxbytes = 0, backups = 0): FileChildLog {
  const log = new FileChildLog({ path: freshPath(), maxbytes, backups });
  log.write(Buffer.from(content));
  return log;
}

function faultOf(fn: () => unknown): RpcFault {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RpcFault, `expected RpcFault, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a fault');
}

/** Ten 55-byte lines (the last 56), like `echo 5xxx…$i` in a shell loop. */
const TEN_LINES = Array.from({ length: 10 }, (_, i) => `5${'x'.repeat(52)}${i + 1}\n`);

describe('tail offsets (compat spec §7.3, on "started\\n")', () => {
  const cases: [number, number, [string, number, boolean]][] = [
    [0, 3, ['ed\n', 8, true]],
    [5, 3, ['ed\n', 8, false]],
    [8, 100, ['', 8, false]],
    [0, 100, ['started\n', 8, false]],
    [0, 0, ['', 8, true]],
    [7, 1, ['\n', 8, false]],
    [20, 5, ['', 8, false]],
    [-5, 3, ['ed\n', 8, true]],
  ];
  for (const [offset, length, expected] of cases) {
    test(`tail(${offset}, ${length})`, () => {
      const log = logWith('started\n');
      assert.deepEqual(log.tail(offset, length), expected);
      log.close();
    });
  }

  test('a missing file tails as empty at offset 0', () => {
    const log = logWith('started\n');
    rmSync(log.path);
    assert.deepEqual(log.tail(5, 10), ['', 0, false]);
    log.close();
  });
});

describe('read offsets (compat spec §7.3, on "started\\n")', () => {
  const cases: [number, number, string][] = [
    [1, 3, 'tar'],
    [0, 0, 'started\n'],
    [3, 0, 'rted\n'],
    [-3, 0, 'ed\n'],
    [-100, 0, 'started\n'],
    [8, 5, ''],
    [50, 0, ''],
    [6, 100, 'd\n'],
  ];
  for (const [offset, length, expected] of cases) {
    test(`read(${offset}, ${length})`, () => {
      const log = logWith('started\n');
      assert.equal(log.read(offset, length), expected);
      log.close();
    });
  }

  for (const [offset, length] of [
    [-3, 2],
    [2, -1],
    [-1, -1],
  ]) {
    test(`read(${offset}, ${length}) is BAD_ARGUMENTS`, () => {
      const log = logWith('started\n');
      const fault = faultOf(() => log.read(offset, length));
      assert.equal(fault.faultCode, 3);
      assert.equal(fault.faultString, 'BAD_ARGUMENTS');
      log.close();
    });
  }

  test('a missing file is NO_FILE: <path>', () => {
    const log = logWith('started\n');
    rmSync(log.path);
    const fault = faultOf(() => log.read(0, 10));
    assert.equal(fault.faultCode, 20);
    assert.equal(fault.faultString, `NO_FILE: ${log.path}`);
    log.close();
  });

  test('an unreadable path is FAILED', () => {
    const log = logWith('started\n');
    log.close();
    rmSync(log.path);
    mkdirSync(log.path); // opens, but read(2) fails with EISDIR
    const fault = faultOf(() => log.read(0, 10));
    assert.equal(fault.faultCode, 30);
    assert.equal(fault.faultString, 'FAILED');
    rmSync(log.path, { recursive: true });
  });

  test('split UTF-8 characters decode leniently', () => {
    const log = logWith('héllo €\n');
    assert.equal(log.read(0, 2), 'h\uFFFD');
    assert.equal(log.read(2, 0), '\uFFFDllo €\n');
    const [data] = log.tail(0, 3);
    assert.equal(data, '\uFFFD\uFFFD\n');
    log.close();
  });
});

describe('rotation (supervisord naming)', () => {
  test('maxbytes=120 backups=2, ten lines → log 56, .1 165, .2 165 bytes', () => {
    const log = new FileChildLog({ path: freshPath(), maxbytes: 120, backups: 2 });
    for (const line of TEN_LINES) log.write(Buffer.from(line));
    assert.equal(statSync(log.path).size, 56);
    assert.equal(statSync(`${log.path}.1`).size, 165);
    assert.equal(statSync(`${log.path}.2`).size, 165);
    assert.equal(existsSync(`${log.path}.3`), false);
    assert.equal(readFileSync(log.path, 'utf8'), TEN_LINES[9]);
    assert.equal(readFileSync(`${log.path}.1`, 'utf8'), TEN_LINES.slice(6, 9).join(''));
    assert.equal(readFileSync(`${log.path}.2`, 'utf8'), TEN_LINES.slice(3, 6).join(''));
    log.close();
  });

  test('backups=0 truncates, keeping only recent data in one file', () => {
    const log = new FileChildLog({ path: freshPath(), maxbytes: 120, backups: 0 });
    for (const line of TEN_LINES) log.write(Buffer.from(line));
    assert.equal(readFileSync(log.path, 'utf8'), TEN_LINES[9]);
    assert.equal(existsSync(`${log.path}.1`), false);
    log.close();
  });

  test('maxbytes=0 never rotates', () => {
    const log = new FileChildLog({ path: freshPath(), maxbytes: 0, backups: 2 });
    for (const line of TEN_LINES) log.write(Buffer.from(line));
    assert.equal(statSync(log.path).size, 551);
    assert.equal(existsSync(`${log.path}.1`), false);
    log.close();
  });

  test('a write reaching exactly maxbytes rotates; the file overshoots by one write', () => {
    const log = new FileChildLog({ path: freshPath(), maxbytes: 10, backups: 1 });
    log.write(Buffer.from('12345'));
    log.write(Buffer.from('12345'));
    assert.equal(statSync(log.path).size, 0);
    assert.equal(readFileSync(`${log.path}.1`, 'utf8'), '1234512345');
    log.write(Buffer.from('a'.repeat(25)));
    assert.equal(readFileSync(`${log.path}.1`, 'utf8'), 'a'.repeat(25));
    log.close();
  });

  test('existing content counts toward the size (append mode)', () => {
    const path = freshPath();
    writeFileSync(path, 'x'.repeat(100));
    const log = new FileChildLog({ path, maxbytes: 120, backups: 1 });
    assert.equal(log.size, 100);
    log.write(Buffer.from('y'.repeat(20)));
    assert.equal(readFileSync(`${path}.1`, 'utf8'), 'x'.repeat(100) + 'y'.repeat(20));
    assert.equal(statSync(path).size, 0);
    log.close();
  });

  test('a missing middle backup is skipped, others still shift', () => {
    const log = new FileChildLog({ path: freshPath(), maxbytes: 5, backups: 3 });
    log.write(Buffer.from('first'));
    log.write(Buffer.from('secnd'));
    rmSync(`${log.path}.1`);
    log.write(Buffer.from('third'));
    assert.equal(readFileSync(`${log.path}.1`, 'utf8'), 'third');
    assert.equal(readFileSync(`${log.path}.3`, 'utf8'), 'first');
    assert.equal(existsSync(`${log.path}.2`), false);
    log.close();
  });
});

describe('clear and reopen', () => {
  test('clear empties the file and keeps backups', () => {
    const log = new FileChildLog({ path: freshPath(), maxbytes: 10, backups: 1 });
    log.write(Buffer.from('0123456789'));
    log.write(Buffer.from('abc'));
    log.clear();
    assert.equal(statSync(log.path).size, 0);
    assert.equal(readFileSync(`${log.path}.1`, 'utf8'), '0123456789');
    log.write(Buffer.from('after'));
    assert.equal(readFileSync(log.path, 'utf8'), 'after');
    assert.equal(log.size, 5);
    log.close();
  });

  test('clear recreates a file deleted behind our back', () => {
    const log = logWith('abc');
    rmSync(log.path);
    log.clear();
    assert.equal(statSync(log.path).size, 0);
    log.close();
  });

  test('reopen follows the path after an external rename (logrotate)', () => {
    const log = logWith('before\n');
    const moved = `${log.path}.moved`;
    renameSync(log.path, moved);
    log.write(Buffer.from('still old\n'));
    log.reopen();
    log.write(Buffer.from('new\n'));
    assert.equal(readFileSync(moved, 'utf8'), 'before\nstill old\n');
    assert.equal(readFileSync(log.path, 'utf8'), 'new\n');
    log.close();
  });

  test('reopen into a missing directory throws LogFileError with errno', () => {
    const sub = join(dir, 'gone');
    mkdirSync(sub);
    const log = new FileChildLog({ path: join(sub, 'a.log'), maxbytes: 0, backups: 0 });
    rmSync(sub, { recursive: true });
    assert.throws(() => log.reopen(), (err: unknown) => err instanceof LogFileError && err.errno === 'ENOENT' && err.code === 'FV_LOG_OPEN');
    log.write(Buffer.from('dropped, not thrown'));
    log.close();
  });

  test('writes after close are dropped', () => {
    const log = logWith('abc');
    log.close();
    log.write(Buffer.from('def'));
    assert.equal(readFileSync(log.path, 'utf8'), 'abc');
  });
});

describe('cost', () => {
  test('tail of 64 KiB on a 100 MiB log reads only what it returns', () => {
    const log = logWith('');
    truncateSync(log.path, 100 * 1024 * 1024); // sparse: instant to create
    const start = process.hrtime.bigint();
    const [data, size, overflow] = log.tail(0, 65536);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.equal(data.length, 65536);
    assert.equal(size, 100 * 1024 * 1024);
    assert.equal(overflow, true);
    assert.ok(ms < 50, `tail took ${ms} ms`);
    log.close();
    rmSync(log.path);
  });
});
