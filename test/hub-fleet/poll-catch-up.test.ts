import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import pLimit from 'p-limit';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { parseMethodCall } from '../../node-agent/api/xmlrpc-parse.js';
import { serializeFault, serializeMethodResponse } from '../../node-agent/api/xmlrpc-serialize.js';
import { AgentConnector } from '../../hub/fleet/connector.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';

/**
 * STAND-IN for a supervisord whose log tails can be held unanswered: a real
 * one answers them at once, and the hub must be stopped exactly while it
 * waits for one (the crash context of an exit it just saw).
 */
async function startHeldTailSupervisord() {
  let state: 'RUNNING' | 'EXITED' = 'RUNNING';
  let holdTails = false;
  let tailsAsked = 0;
  const info = () =>
    state === 'RUNNING'
      ? { name: 'p', group: 'p', state: 20, statename: 'RUNNING', pid: 9, start: 1, stop: 0, now: 2, spawnerr: '', exitstatus: 0, description: 'pid 9', logfile: '', stdout_logfile: '', stderr_logfile: '' }
      : { name: 'p', group: 'p', state: 100, statename: 'EXITED', pid: 0, start: 1, stop: 3, now: 4, spawnerr: '', exitstatus: 7, description: 'exit status 7', logfile: '', stdout_logfile: '', stderr_logfile: '' };
  const answers: Record<string, () => XmlRpcValue> = {
    'system.listMethods': () => ['supervisor.getState', 'supervisor.getAllProcessInfo'],
    'supervisor.getState': () => ({ statecode: 1, statename: 'RUNNING' }),
    'supervisor.getAPIVersion': () => '3.0',
    'supervisor.getSupervisorVersion': () => '4.2.5',
    'supervisor.getPID': () => 42,
    'supervisor.getAllProcessInfo': () => [info()],
    'supervisor.tailProcessStdoutLog': () => ['last words\n', 11, false],
    'supervisor.tailProcessStderrLog': () => ['', 0, false],
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call = parseMethodCall(Buffer.concat(chunks));
      if (call.methodName.startsWith('supervisor.tail')) {
        tailsAsked++;
        if (holdTails) return;
      }
      const answer = answers[call.methodName];
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(answer ? serializeMethodResponse(answer()) : serializeFault(1, 'UNKNOWN_METHOD'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exit: () => (state = 'EXITED'),
    holdTails: (hold: boolean) => (holdTails = hold),
    get tailsAsked() {
      return tailsAsked;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('a hub stopped while it fetched the crash context of an exit stored neither the event nor the row: its next start records both', async () => {
  const agent = await startHeldTailSupervisord();
  const sink = new MemorySink();
  const connect = () =>
    new AgentConnector({ name: 'h', url: agent.url, tags: [], source: 'api' }, {
      sink, limit: pLimit(4), timeouts: { callMs: 1000, longPollSeconds: 1 }, pollIntervalMs: 50,
    });
  let connector = connect();
  connector.start();
  try {
    await sink.waitFor(() => sink.row('h', 'p')?.state === 'RUNNING', 3000, 'first table');
    agent.holdTails(true);
    agent.exit();
    for (let waited = 0; agent.tailsAsked === 0; waited += 10) {
      assert.ok(waited < 3000, 'no tail asked for');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await connector.stop();
    assert.equal(sink.row('h', 'p')?.state, 'RUNNING', 'the table moves on only with its events');
    assert.deepEqual(sink.eventsOf('h').filter((e) => e.type !== 'HUB_AGENT_HEALTH'), []);

    agent.holdTails(false);
    connector = connect();
    connector.start();
    const exited = await sink.waitFor(() => sink.events.find((e) => e.type === 'PROCESS_STATE_EXITED'), 3000, 'EXITED');
    assert.deepEqual(sink.eventsOf('h').filter((e) => e.type !== 'HUB_AGENT_HEALTH').map((e) => e.type), ['HUB_GAP', 'PROCESS_STATE_EXITED']);
    assert.equal(JSON.parse(sink.events.find((e) => e.type === 'HUB_GAP')!.payload!).reason, 'not_watching');
    assert.deepEqual([exited.fromState, exited.pid, exited.exitStatus, exited.crashStdout], ['RUNNING', 9, 7, 'last words\n']);
    assert.equal(sink.row('h', 'p')?.state, 'EXITED');
  } finally {
    await connector.stop();
    await agent.close();
  }
});
