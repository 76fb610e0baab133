import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMainLog, formatTimestamp } from '../../node-agent/logs/main-log.js';
import { levelNumberOf } from '../../node-agent/logs/levels.js';
import { memoryLogger, nullLogger } from '../../node-agent/logs/memory-logger.js';
import { RpcFault } from '../../node-agent/api/faults.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fv-mainlog-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const freshPath = () => join(dir, `supervisord${counter++}.log`);
const fixedClock = () => new Date(2026, 0, 2, 3, 4, 5, 67); // local time

const LINE_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) .*$/;

describe('format', () => {
  test('YYYY-MM-DD HH:MM:SS,mmm LEVL msg in local time', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: false, now: fixedClock });
    log.info("RPC interface 'supervisor' initialized");
    log.critical('Supervisor is running as root.');
    log.close();
    assert.equal(
      readFileSync(path, 'utf8'),
      "2026-01-02 03:04:05,067 INFO RPC interface 'supervisor' initialized\n" +
        '2026-01-02 03:04:05,067 CRIT Supervisor is running as root.\n',
    );
  });

  test('the real clock produces well-formed lines', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'blather', echo: false });
    log.blather('b');
    log.trace('t');
    log.debug('d');
    log.warn('w');
    log.error('e');
    log.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5);
    for (const line of lines) assert.match(line, LINE_RE);
    assert.deepEqual(lines.map((l) => l.split(' ')[2]), ['BLAT', 'TRAC', 'DEBG', 'WARN', 'ERRO']);
  });

  test('timestamp pads every field', () => {
    assert.equal(formatTimestamp(new Date(2026, 10, 24, 1, 2, 3, 4)), '2026-11-24 01:02:03,004');
  });
});

describe('levels', () => {
  test('numbers match supervisord', () => {
    const names = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];
    assert.deepEqual(names.map(levelNumberOf), [50, 40, 30, 20, 10, 5, 3]);
  });

  test("'warning' is not a level name in 4.2.5", () => {
    assert.throws(
      () => levelNumberOf('warning'),
      (e: unknown) => e instanceof FleetvisorError && e.code === 'FV_CONFIG_BAD_VALUE' && e.message === "bad logging level name 'warning'",
    );
  });

  test('messages below the configured level are dropped', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'warn', echo: false, now: fixedClock });
    log.info('hidden');
    log.debug('hidden');
    log.warn('shown');
    log.error('shown too');
    assert.equal(log.isEnabled('INFO'), false);
    assert.equal(log.isEnabled('WARN'), true);
    log.close();
    const text = readFileSync(path, 'utf8');
    assert.doesNotMatch(text, /hidden/);
    assert.equal(text.split('\n').length - 1, 2);
  });
});

describe('destinations', () => {
  test('echo writes the same lines as the file', () => {
    const path = freshPath();
    const echoed: string[] = [];
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: true, echoTo: (t) => echoed.push(t), now: fixedClock });
    log.info('hello');
    log.close();
    assert.deepEqual(echoed, ['2026-01-02 03:04:05,067 INFO hello\n']);
    assert.equal(readFileSync(path, 'utf8'), echoed[0]);
  });

  test('no echo when echo is false', () => {
    const echoed: string[] = [];
    const log = createMainLog({ path: freshPath(), maxbytes: 0, backups: 0, level: 'info', echo: false, echoTo: (t) => echoed.push(t) });
    log.info('quiet');
    log.close();
    assert.deepEqual(echoed, []);
  });

  test('appends to an existing file', () => {
    const path = freshPath();
    for (const msg of ['first', 'second']) {
      const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: false, now: fixedClock });
      log.info(msg);
      log.close();
    }
    assert.match(readFileSync(path, 'utf8'), /INFO first\n.*INFO second\n$/);
  });

  test('rotates with logfile_maxbytes / logfile_backups', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 100, backups: 2, level: 'info', echo: false, now: fixedClock });
    // Each line is 24 + 5 + 30 + 1 = 60 bytes: rotation after every second line.
    for (let i = 0; i < 7; i++) log.info(`message ${i}`.padEnd(30, '.'));
    log.close();
    assert.equal(statSync(`${path}.1`).size, 120);
    assert.equal(statSync(`${path}.2`).size, 120);
    assert.equal(existsSync(`${path}.3`), false);
    assert.match(readFileSync(path, 'utf8'), /INFO message 6/);
    assert.match(readFileSync(`${path}.2`, 'utf8'), /message 2.*\n.*message 3/);
  });

  test('no file: read and clear fault NO_FILE, tail is empty', () => {
    const echoed: string[] = [];
    const log = createMainLog({ maxbytes: 0, backups: 0, level: 'info', echo: true, echoTo: (t) => echoed.push(t) });
    log.info('only stdout');
    assert.equal(echoed.length, 1);
    assert.throws(() => log.read(0, 0), (e: unknown) => e instanceof RpcFault && e.faultString === 'NO_FILE');
    assert.throws(() => log.clear(), (e: unknown) => e instanceof RpcFault && e.faultCode === 20);
    assert.deepEqual(log.tail(0, 10), ['', 0, false]);
    log.close();
  });
});

describe('readLog / clearLog / reopen', () => {
  test('read and tail use supervisord offsets', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: false, now: fixedClock });
    log.info('started');
    const line = '2026-01-02 03:04:05,067 INFO started\n';
    assert.equal(log.read(0, 0), line);
    assert.equal(log.read(-8, 0), 'started\n');
    assert.throws(() => log.read(-8, 2), (e: unknown) => e instanceof RpcFault && e.faultString === 'BAD_ARGUMENTS');
    assert.deepEqual(log.tail(0, 3), ['ed\n', line.length, true]);
    log.close();
  });

  test('clear empties the file; later lines go to the new file', () => {
    const path = freshPath();
    const echoed: string[] = [];
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: true, echoTo: (t) => echoed.push(t), now: fixedClock });
    log.info('before');
    log.clear();
    assert.equal(statSync(path).size, 0);
    assert.equal(echoed.filter((l) => l.endsWith('INFO reopening log file\n')).length, 2);
    log.info('after');
    assert.equal(readFileSync(path, 'utf8'), '2026-01-02 03:04:05,067 INFO after\n');
    log.close();
  });

  test('clear when the file was removed is NO_FILE', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: false });
    rmSync(path);
    assert.throws(() => log.clear(), (e: unknown) => e instanceof RpcFault && e.faultString === 'NO_FILE');
    log.close();
  });

  test('reopen recreates a file removed behind our back', () => {
    const path = freshPath();
    const log = createMainLog({ path, maxbytes: 0, backups: 0, level: 'info', echo: false, now: fixedClock });
    rmSync(path);
    log.reopen();
    log.info('supervisord logreopen');
    assert.equal(readFileSync(path, 'utf8'), '2026-01-02 03:04:05,067 INFO supervisord logreopen\n');
    log.close();
  });
});

describe('test loggers', () => {
  test('memoryLogger records lines above its level', () => {
    const log = memoryLogger('info');
    log.debug('no');
    log.info('yes');
    log.critical('loud');
    assert.deepEqual(log.lines, [
      { level: 'INFO', msg: 'yes' },
      { level: 'CRIT', msg: 'loud' },
    ]);
    assert.equal(log.text(), 'INFO yes\nCRIT loud\n');
    log.reset();
    assert.equal(log.lines.length, 0);
  });

  test('nullLogger accepts everything and enables nothing', () => {
    const log = nullLogger();
    log.critical('x');
    assert.equal(log.isEnabled('CRIT'), false);
  });
});
