import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeExit } from '../../node-agent/process/exit-status.js';
import { describeProcess, formatStopTime, formatUptime } from '../../node-agent/process/describe.js';
import { signalName, signalNumber } from '../../node-agent/process/signals.js';

test('signalNumber accepts what supervisord’s signal_number accepts', () => {
  const accepted: Array<[string | number, number]> = [
    ['term', 15], ['SIGTERM', 15], [' hup ', 1], ['9', 9], ['0', 0], ['64', 64], ['+5', 5], [' 9', 9], ['1_0', 10],
    ['IOT', 6], ['CLD', 17], ['POLL', 29], ['io', 29], ['RTMIN', 34], ['rtmax', 64], [15, 15], [34, 34],
  ];
  for (const [input, expected] of accepted) assert.equal(signalNumber(input), expected, String(input));
  for (const input of ['65', '32', '-1', '0x9', '9.0', 'SIGsigterm', 'FOO', 'SIGRTMIN+1', '', 32, 65, 1.5]) {
    assert.equal(signalNumber(input), undefined, String(input));
  }
});

test('signalName prints Python’s signame', () => {
  assert.equal(signalName(15), 'SIGTERM');
  assert.equal(signalName(6), 'SIGABRT');
  assert.equal(signalName(17), 'SIGCHLD');
  assert.equal(signalName(29), 'SIGPOLL');
  assert.equal(signalName(34), 'SIGRTMIN');
  assert.equal(signalName(33), 'signal 33');
  assert.equal(signalName(0), 'signal 0');
});

test('exit decoding: code or signal, signal death is -1', () => {
  assert.deepEqual(describeExit(3, null), { status: 3, text: 'exit status 3' });
  assert.deepEqual(describeExit(null, 'SIGKILL'), { status: -1, text: 'terminated by SIGKILL' });
  assert.deepEqual(describeExit(null, 'SIGIO'), { status: -1, text: 'terminated by SIGPOLL' });
});

test('uptime is Python’s timedelta text', () => {
  assert.equal(formatUptime(9), '0:00:09');
  assert.equal(formatUptime(3723), '1:02:03');
  assert.equal(formatUptime(86400 + 3723), '1 day, 1:02:03');
  assert.equal(formatUptime(3 * 86400 + 5), '3 days, 0:00:05');
  assert.equal(formatUptime(-5), '0:00:00');
});

test('stop time is %b %d %I:%M %p in local time', () => {
  const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo, d, h, mi).getTime() / 1000;
  assert.equal(formatStopTime(at(2024, 10, 24, 0, 55)), 'Nov 24 12:55 AM');
  assert.equal(formatStopTime(at(2024, 0, 5, 12, 5)), 'Jan 05 12:05 PM');
  assert.equal(formatStopTime(at(2024, 6, 9, 23, 59)), 'Jul 09 11:59 PM');
  assert.equal(formatStopTime(at(2024, 6, 9, 9, 7)), 'Jul 09 09:07 AM');
});

test('description per state', () => {
  const base = { name: 'web', pid: 5337, start: 1000, stop: 0, now: 1009, spawnerr: '' };
  assert.equal(describeProcess({ ...base, state: 'RUNNING' }), 'pid 5337, uptime 0:00:09');
  assert.equal(describeProcess({ ...base, state: 'RUNNING', now: 1000 + 86400 + 3723 }), 'pid 5337, uptime 1 day, 1:02:03');
  assert.equal(describeProcess({ ...base, state: 'FATAL', spawnerr: 'Exited too quickly (process log may have details)' }),
    'Exited too quickly (process log may have details)');
  assert.equal(describeProcess({ ...base, state: 'BACKOFF' }), 'unknown error (try "tail web")');
  assert.equal(describeProcess({ ...base, state: 'STOPPED', start: 0 }), 'Not started');
  assert.equal(describeProcess({ ...base, state: 'EXITED', stop: 1_700_000_000 }), formatStopTime(1_700_000_000));
  for (const state of ['STARTING', 'STOPPING', 'UNKNOWN'] as const) assert.equal(describeProcess({ ...base, state }), '');
});
