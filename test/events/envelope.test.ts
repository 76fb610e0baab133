import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  characterLength,
  decodeEventData,
  formatEnvelope,
  formatPayload,
  pythonBytesRepr,
} from '../../node-agent/events/envelope.js';
import type { AgentEvent } from '../../node-agent/events/types.js';

const at = (type: AgentEvent['type'], fields: AgentEvent['fields'], data?: string): AgentEvent => ({ type, time: 0, fields, data });

test('payloads per event type (compat §4.3)', () => {
  const cases: Array<[AgentEvent, string]> = [
    [at('PROCESS_STATE_STARTING', [['processname', 'quick'], ['groupname', 'quick'], ['from_state', 'STOPPED'], ['tries', 0]]),
      'processname:quick groupname:quick from_state:STOPPED tries:0'],
    [at('PROCESS_STATE_RUNNING', [['processname', 'a'], ['groupname', 'g'], ['from_state', 'STARTING'], ['pid', 42]]),
      'processname:a groupname:g from_state:STARTING pid:42'],
    [at('PROCESS_STATE_EXITED', [['processname', 'exit1'], ['groupname', 'exit1'], ['from_state', 'RUNNING'], ['expected', 0], ['pid', 5329]]),
      'processname:exit1 groupname:exit1 from_state:RUNNING expected:0 pid:5329'],
    [at('PROCESS_STATE_FATAL', [['processname', 'a'], ['groupname', 'g'], ['from_state', 'BACKOFF']]),
      'processname:a groupname:g from_state:BACKOFF'],
    [at('PROCESS_LOG_STDOUT', [['processname', 'a'], ['groupname', 'g'], ['pid', 7], ['channel', 'stdout']], 'hi\n'),
      'processname:a groupname:g pid:7 channel:stdout\nhi\n'],
    [at('PROCESS_COMMUNICATION_STDERR', [['processname', 'a'], ['groupname', 'g'], ['pid', 7]], 'msg'),
      'processname:a groupname:g pid:7\nmsg'],
    [at('REMOTE_COMMUNICATION', [['type', 'mytype']], 'hello world'), 'type:mytype\nhello world'],
    [at('SUPERVISOR_STATE_CHANGE_RUNNING', []), ''],
    [at('TICK_60', [['when', 1700000040]]), 'when:1700000040'],
    [at('PROCESS_GROUP_ADDED', [['groupname', 'g']]), 'groupname:g\n'],
    [at('PROCESS_GROUP_REMOVED', [['groupname', 'g']], ''), 'groupname:g\n'],
  ];
  for (const [event, payload] of cases) assert.equal(formatPayload(event), payload, event.type);
});

test('envelope header, byte-exact (compat §10 items 39, 40 and §4.3)', () => {
  const header = { identifier: 'supervisor', serial: 3, pool: 'lst', poolSerial: 1 };
  assert.equal(
    formatEnvelope({ ...header, eventName: 'PROCESS_STATE_STARTING' }, 'processname:quick groupname:quick from_state:STOPPED tries:0'),
    'ver:3.0 server:supervisor serial:3 pool:lst poolserial:1 eventname:PROCESS_STATE_STARTING len:60\nprocessname:quick groupname:quick from_state:STOPPED tries:0',
  );
  assert.equal(
    formatEnvelope({ ...header, eventName: 'REMOTE_COMMUNICATION' }, 'type:mytype\nhello world'),
    'ver:3.0 server:supervisor serial:3 pool:lst poolserial:1 eventname:REMOTE_COMMUNICATION len:23\ntype:mytype\nhello world',
  );
  assert.match(
    formatEnvelope({ ...header, eventName: 'PROCESS_STATE_EXITED' }, 'processname:exit1 groupname:exit1 from_state:RUNNING expected:0 pid:5329'),
    /eventname:PROCESS_STATE_EXITED len:72\nprocessname:exit1/,
  );
});

test('len counts characters (code points), not bytes or UTF-16 units', () => {
  assert.equal(characterLength('héllo'), 5);
  assert.equal(characterLength('a😀b'), 3);
  assert.equal(characterLength('😀😀'), 2);
  assert.equal(characterLength('\ud800x'), 2, 'a lone surrogate counts once');
  assert.match(formatEnvelope({ identifier: 's', serial: 0, pool: 'p', poolSerial: 0, eventName: 'REMOTE_COMMUNICATION' }, 'type:t\n😀é'), /len:9\n/);
});

test('undecodable output is reported as Python repr', () => {
  assert.equal(decodeEventData(Buffer.from('ok ✓')), 'ok ✓');
  const samples = [Buffer.from([0xff, 0x41, 0x27, 0x0a, 0x5c]), Buffer.from([0x80, 0x27, 0x22, 0x09]), Buffer.from([0xc3, 0x7f, 0x00, 0x0d])];
  const python = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import sys\nfor h in sys.argv[1:]: print(repr(bytes.fromhex(h)))', ...samples.map((b) => b.toString('hex'))],
    { encoding: 'utf8' },
  ).trimEnd().split('\n');
  assert.deepEqual(samples.map(pythonBytesRepr), python);
  assert.equal(decodeEventData(samples[0]), `Undecodable: ${python[0]}`);
});
