import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import pLimit from 'p-limit';
import { HttpStatusError } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { RpcFault } from '../../node-agent/api/faults.js';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { parseMethodCall } from '../../node-agent/api/xmlrpc-parse.js';
import { serializeFault, serializeMethodResponse } from '../../node-agent/api/xmlrpc-serialize.js';
import { AgentConnector } from '../../hub/fleet/connector.js';
import { attachCrashContext, needsCrashContext, tailText } from '../../hub/fleet/crash-context.js';
import { diffSnapshots, observedEvents } from '../../hub/fleet/diff.js';
import { classifyFailure } from '../../hub/fleet/health.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import { hubEventFromRing } from '../../hub/fleet/normalize.js';
import type { HubEvent, ProcessSnapshot } from '../../hub/types.js';

const row = (name: string, state: string, statecode: number, pid: number, extra: Partial<ProcessSnapshot> = {}): ProcessSnapshot => ({
  agent: 'a', group: name, name, state, statecode, pid, description: '', start: 1, stop: 0, exitstatus: 0, spawnerr: '', updated: 0, ...extra,
});

describe('diff of two process tables', () => {
  test('state changes, restarts between polls, added and removed groups', () => {
    const before = new Map([
      ['web', row('web', 'RUNNING', 20, 100)],
      ['job', row('job', 'RUNNING', 20, 200)],
      ['old', row('old', 'STOPPED', 0, 0)],
      ['same', row('same', 'RUNNING', 20, 300, { description: 'pid 300, uptime 0:00:01' })],
    ]);
    const after = [
      row('web', 'EXITED', 100, 0, { exitstatus: 2, stop: 5 }),
      row('job', 'RUNNING', 20, 201, { start: 4 }),
      row('new', 'RUNNING', 20, 400),
      row('same', 'RUNNING', 20, 300, { description: 'pid 300, uptime 0:00:03' }),
    ];
    const diff = diffSnapshots(before, after);
    assert.deepEqual(diff.changed.map((r) => r.name), ['web', 'job', 'new'], 'an uptime tick is not a change');
    assert.deepEqual(diff.removed, ['old'], 'namespecs as supervisorctl names them');
    assert.deepEqual(diff.addedGroups, ['new']);
    assert.deepEqual(diff.removedGroups, ['old']);
    const events = observedEvents('a', 'pid:1', diff, 1000);
    assert.deepEqual(
      events.map((e) => [e.type, e.group, e.fromState, e.toState, e.pid, e.exitStatus]),
      [
        ['PROCESS_GROUP_REMOVED', 'old', undefined, undefined, undefined, undefined],
        ['PROCESS_GROUP_ADDED', 'new', undefined, undefined, undefined, undefined],
        ['PROCESS_STATE_EXITED', 'web', 'RUNNING', 'EXITED', 100, 2],
        ['PROCESS_STATE_RUNNING', 'job', 'RUNNING', 'RUNNING', 201, undefined],
      ],
    );
    assert.ok(events.every((e) => e.observed && e.serial === null && e.time === 1000 && e.boot === 'pid:1'));
    assert.equal(JSON.parse(events[3].payload!).previousPid, 200);
  });
});

describe('crash context', () => {
  const base: HubEvent = { agent: 'a', boot: 'b', serial: 1, time: 0, type: 'PROCESS_STATE_EXITED', group: 'g', process: 'p', observed: false };
  test('which events get it', () => {
    assert.equal(needsCrashContext({ ...base, expected: false }), true);
    assert.equal(needsCrashContext({ ...base, expected: true }), false);
    assert.equal(needsCrashContext({ ...base, type: 'PROCESS_STATE_FATAL' }), true);
    assert.equal(needsCrashContext({ ...base, type: 'PROCESS_STATE_STOPPED' }), false);
    assert.equal(needsCrashContext({ ...base, observed: true, exitStatus: 1 }), true);
    assert.equal(needsCrashContext({ ...base, observed: true, exitStatus: 0 }), false);
  });

  test('fetched once per process per batch, attached to its last crash; a cut first line is dropped', async () => {
    const calls: string[] = [];
    const events: HubEvent[] = [
      { ...base, serial: 1, expected: false },
      { ...base, serial: 2, type: 'PROCESS_STATE_FATAL' },
      { ...base, serial: 3, process: 'q', expected: false },
      { ...base, serial: 4, group: 'w', process: 'w', expected: false },
    ];
    await attachCrashContext(events, async (namespec, channel) => {
      calls.push(`${namespec}/${channel}`);
      return channel === 'stdout' ? `out of ${namespec}` : undefined;
    });
    assert.deepEqual(calls.sort(), ['g:p/stderr', 'g:p/stdout', 'g:q/stderr', 'g:q/stdout', 'w/stderr', 'w/stdout']);
    assert.equal(events[0].crashStdout, undefined);
    assert.equal(events[1].crashStdout, 'out of g:p');
    assert.equal(events[2].crashStdout, 'out of g:q');
    assert.equal(events[1].crashStderr, undefined);
    assert.equal(tailText('tial line\nwhole\n', true), 'whole\n');
    assert.equal(tailText('tial line\nwhole\n', false), 'tial line\nwhole\n');
  });
});

describe('normalize and classify', () => {
  test('a ring event → HubEvent: mapped fields, the rest as payload JSON, time in ms', () => {
    const event = hubEventFromRing('a', 'boot1', {
      serial: 7, type: 'PROCESS_STATE_EXITED', time: 1700000000.123, payload: 'processname:x ...', group: 'g', process: 'x',
      from_state: 'RUNNING', to_state: 'EXITED', pid: 42, expected: false, exitstatus: 3, tries: 0,
    });
    assert.deepEqual(event, {
      agent: 'a', boot: 'boot1', serial: 7, time: 1700000000123, type: 'PROCESS_STATE_EXITED', observed: false, group: 'g', process: 'x',
      fromState: 'RUNNING', toState: 'EXITED', pid: 42, expected: false, exitStatus: 3, payload: JSON.stringify({ payload: 'processname:x ...', tries: 0 }),
    });
    assert.throws(() => hubEventFromRing('a', 'b', { type: 'X' }), { code: 'FV_AGENT_INCOMPATIBLE' });
  });

  test('failures → health states', () => {
    const transport = (cause: unknown) => new FleetvisorError('FV_RPC_TRANSPORT', 'x', { cause });
    assert.equal(classifyFailure(transport(new HttpStatusError(401, 'Unauthorized'))).state, 'auth_failed');
    assert.equal(classifyFailure(transport(new HttpStatusError(404, 'Not Found'))).state, 'incompatible');
    assert.equal(classifyFailure(transport(new HttpStatusError(503, 'Unavailable'))).state, 'offline');
    assert.equal(classifyFailure(transport(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).state, 'offline');
    assert.equal(classifyFailure(transport(new FleetvisorError('FV_XMLRPC_PARSE', 'html'))).state, 'incompatible');
    assert.equal(classifyFailure(RpcFault.fromWire(1, 'UNKNOWN_METHOD')).state, 'incompatible');
    assert.equal(classifyFailure(RpcFault.fromWire(6, 'SHUTDOWN_STATE')).state, 'offline');
  });
});

/** A scripted fleetvisord: its ring has moved past any cursor the hub holds. */
async function startOverflowedAgent(): Promise<{ url: string; getEventsCalls: XmlRpcValue[][]; close(): Promise<void> }> {
  const getEventsCalls: XmlRpcValue[][] = [];
  const answers: Record<string, (params: XmlRpcValue[]) => XmlRpcValue> = {
    'system.listMethods': () => ['fleetvisor.getEvents', 'fleetvisor.getHostInfo', 'supervisor.getState'],
    'supervisor.getState': () => ({ statecode: 1, statename: 'RUNNING' }),
    'supervisor.getAPIVersion': () => '3.0',
    'fleetvisor.getHostInfo': () => ({ agent_version: '9.9.9', boot: 'B' }),
    'supervisor.getAllProcessInfo': () => [
      { name: 'p', group: 'p', state: 20, statename: 'RUNNING', pid: 9, start: 1, stop: 0, now: 2, spawnerr: '', exitstatus: 0, description: 'pid 9', logfile: '', stdout_logfile: '', stderr_logfile: '' },
    ],
    'fleetvisor.getEvents': (params) => {
      getEventsCalls.push(params);
      if (params[0] === 'B:5') {
        const event = (serial: number) => ({ serial, type: 'TICK_5', time: 1700000000 + serial, payload: 'when:1' });
        return { events: [event(50), event(51)], cursor: 'B:51', boot: 'B', resync: true };
      }
      return { events: [], cursor: String(params[0]), boot: 'B', resync: false };
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call = parseMethodCall(Buffer.concat(chunks));
      const answer = answers[call.methodName];
      const body = answer ? serializeMethodResponse(answer(call.params as XmlRpcValue[])) : serializeFault(1, 'UNKNOWN_METHOD');
      // an empty long-poll answer comes late, like a real one
      const late = call.methodName === 'fleetvisor.getEvents' && call.params[0] !== 'B:5';
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/xml' }).end(body), late ? 200 : 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    getEventsCalls,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

test('a ring that moved past the cursor (same boot): gap "ring_overflow", the events held, resync, one ingest', async () => {
  const agent = await startOverflowedAgent();
  const sink = new MemorySink();
  sink.ingest('o', [], 'B:5');
  const ingests: Array<{ types: string[]; cursor?: string }> = [];
  const original = sink.ingest.bind(sink);
  sink.ingest = (name, events, cursor) => {
    ingests.push({ types: events.map((e) => e.type), cursor });
    original(name, events, cursor);
  };
  const connector = new AgentConnector({ name: 'o', url: agent.url, tags: [], source: 'api' }, {
    sink, limit: pLimit(4), timeouts: { callMs: 1000, longPollSeconds: 1 }, pollIntervalMs: 200,
  });
  connector.start();
  try {
    await sink.waitFor(() => sink.getCursor('o') === 'B:51', 3000, 'cursor B:51');
    const resyncBatch = ingests.find((i) => i.types.includes('HUB_GAP'));
    assert.deepEqual(resyncBatch, { types: ['HUB_GAP', 'TICK_5', 'TICK_5', 'HUB_RESYNC'], cursor: 'B:51' });
    const gap = sink.events.find((e) => e.type === 'HUB_GAP')!;
    assert.deepEqual(JSON.parse(gap.payload!), { reason: 'ring_overflow', previousCursor: 'B:5', previousBoot: 'B', boot: 'B', firstSerial: 50 });
    assert.equal(sink.row('o', 'p:p')?.pid, 9);
    for (let waited = 0; agent.getEventsCalls.length < 2 && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(agent.getEventsCalls[1], ['B:51', 1, 1000], 'continues from the returned cursor with the long-poll wait');
    assert.equal(connector.health.version, '9.9.9');
  } finally {
    await connector.stop();
    await agent.close();
  }
});
