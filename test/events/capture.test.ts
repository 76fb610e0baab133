import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelCapture } from '../../node-agent/events/capture.js';
import { OutputEvents } from '../../node-agent/events/output-events.js';
import type { AgentEvent } from '../../node-agent/events/types.js';
import type { Subprocess } from '../../node-agent/process/types.js';
import { processConfig } from './harness.js';

const text = (pieces: ReturnType<ChannelCapture['feed']>) => pieces.map((p) => `${p.kind}:${p.data.toString()}`);

test('without capture every chunk is log text', () => {
  assert.deepEqual(text(new ChannelCapture(0).feed(Buffer.from('abc'))), ['log:abc']);
});

test('capture mode: text between the tokens becomes a communication, and is still log text', () => {
  const c = new ChannelCapture(100);
  const out = [
    ...c.feed(Buffer.from('before <!--XSUPERVISOR:BEG')),
    ...c.feed(Buffer.from('IN-->the message<!--XSUPERVISOR:END--> after the end of the message')),
  ];
  assert.deepEqual(text(out), ['log:before ', 'log:the message', 'communication:the message', 'log: after the end of the message']);
});

test('capture mode holds output no longer than the token (supervisord loses such tails at exit)', () => {
  const c = new ChannelCapture(100);
  assert.deepEqual(text(c.feed(Buffer.from('short tail'))), []);
  assert.deepEqual(text(c.feed(Buffer.from(' that grows past 24 bytes'))), ['log:short tail that grows past 24 bytes']);
});

test('the capture buffer is bounded like BoundIO', () => {
  const c = new ChannelCapture(8);
  const out = c.feed(Buffer.from('<!--XSUPERVISOR:BEGIN-->0123456789<!--XSUPERVISOR:END-->' + 'x'.repeat(30)));
  const comm = out.find((p) => p.kind === 'communication');
  assert.equal(comm?.data.toString(), '0123456789', 'one write larger than the bound is kept whole, as BoundIO does');
});

test('PROCESS_LOG and PROCESS_COMMUNICATION events from output', () => {
  const published: Array<Pick<AgentEvent, 'type' | 'fields' | 'data'>> = [];
  const logged: string[] = [];
  const events = new OutputEvents(
    (type, fields, data) => published.push({ type, fields, data }),
    false,
    (_proc, channel, data) => logged.push(`${channel}:${data.toString()}`),
  );
  const config = processConfig({ command: 'x', name: 'p' });
  config.stdout.eventsEnabled = true;
  config.stderr.captureMaxbytes = 100;
  const proc = { config, groupName: 'g', pid: 99 } as unknown as Subprocess;
  events.onOutput(proc, 'stdout', Buffer.from('hello\n'));
  events.onOutput(proc, 'stderr', Buffer.from('before <!--XSUPERVISOR:BEGIN-->hi<!--XSUPERVISOR:END--> after'));
  events.onOutput(proc, 'stdout', Buffer.from([0xff]));
  assert.deepEqual(published, [
    { type: 'PROCESS_LOG_STDOUT', fields: [['processname', 'p'], ['groupname', 'g'], ['pid', 99], ['channel', 'stdout']], data: 'hello\n' },
    { type: 'PROCESS_COMMUNICATION_STDERR', fields: [['processname', 'p'], ['groupname', 'g'], ['pid', 99]], data: 'hi' },
    { type: 'PROCESS_LOG_STDOUT', fields: [['processname', 'p'], ['groupname', 'g'], ['pid', 99], ['channel', 'stdout']], data: "Undecodable: b'\\xff'" },
  ]);
  // Capture mode keeps the captured text out of the log; stdout (no capture) is logged by the process itself.
  assert.equal(logged.join('').includes('hi'), false, logged.join('|'));
  assert.ok(logged.join('').startsWith('stderr:before '), logged.join('|'));
});
