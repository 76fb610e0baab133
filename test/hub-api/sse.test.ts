/**
 * The live feed on its own: one shared feed fanned out with per-client
 * filters, and a client that stops reading is cut off instead of buffered
 * for without bound.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FeedFilter, LiveFeed, SseConnection } from '../../hub/api/sse.js';
import { Fleet } from '../../hub/fleet/fleet.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import type { HubEvent } from '../../hub/types.js';
import { SseReader } from './helpers.js';

const MAX_BUFFERED = 256 * 1024;

describe('live feed', () => {
  let fleet: Fleet;
  let feed: LiveFeed;
  let server: http.Server;
  let base: string;
  let nextId = 1;

  const event = (agent: string, extra: Partial<HubEvent> = {}): HubEvent => ({
    id: nextId++,
    agent,
    boot: 'b',
    serial: nextId,
    time: Date.now(),
    type: 'PROCESS_STATE_RUNNING',
    group: 'web',
    process: 'web',
    toState: 'RUNNING',
    observed: false,
    ...extra,
  });

  before(async () => {
    fleet = new Fleet({ sink: new MemorySink(), timeouts: { callMs: 1000, longPollSeconds: 1 }, pollIntervalMs: 1000 });
    fleet.add({ name: 'eu1', url: 'http://127.0.0.1:1', tags: ['eu'], source: 'config' });
    fleet.add({ name: 'us1', url: 'http://127.0.0.1:1', tags: ['us'], source: 'config' });
    feed = new LiveFeed(fleet);
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const list = (key: string): string[] => url.searchParams.getAll(key);
      feed.add(new SseConnection(req, res, MAX_BUFFERED), new FeedFilter({ hosts: list('host'), tags: list('tag'), processes: list('process'), types: list('type') }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    feed.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends each client only what its filter passes', async () => {
    const eu = await SseReader.open(`${base}/?tag=eu`, {});
    const exits = await SseReader.open(`${base}/?type=PROCESS_STATE_EXITED&process=w*`, {});
    const everything = await SseReader.open(`${base}/`, {});
    fleet.emit('events', 'us1', [event('us1')]);
    fleet.emit('events', 'eu1', [event('eu1'), event('eu1', { type: 'PROCESS_STATE_EXITED', toState: 'EXITED' }), event('eu1', { id: undefined })]);
    fleet.emit('health', { agent: 'us1', state: 'offline', kind: 'fleetvisord', error: 'gone' });
    await everything.waitFor((m) => m.event === 'health');
    await eu.waitFor((m) => m.data.type === 'PROCESS_STATE_EXITED');
    await exits.waitFor((m) => m.data.type === 'PROCESS_STATE_EXITED');
    // An event without an id was a duplicate the store ignored: never sent.
    assert.deepEqual(everything.messages.map((m) => `${m.event}:${m.data.agent}`), ['hub-event:us1', 'hub-event:eu1', 'hub-event:eu1', 'health:us1']);
    assert.deepEqual(eu.messages.map((m) => `${m.event}:${m.data.agent}:${m.data.toState}`), ['hub-event:eu1:RUNNING', 'hub-event:eu1:EXITED']);
    assert.deepEqual(exits.messages.filter((m) => m.event === 'hub-event').map((m) => m.data.toState), ['EXITED']);
    for (const reader of [eu, exits, everything]) reader.close();
  });

  it('drops a client that stops reading, and keeps serving the others', async () => {
    const fast = await SseReader.open(`${base}/?host=eu1`, {});
    const slow = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    slow.on('error', () => undefined); // reset by the server when it drops the client
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write('GET /?host=eu1 HTTP/1.1\r\nHost: x\r\n\r\n');
    slow.pause();
    while (feed.subscribers < 2) await nextTurn();
    const payload = 'x'.repeat(8 * 1024);
    let sent = 0;
    // 32 MiB in all: more than the kernel's socket buffers hold for the slow client.
    for (let batch = 0; batch < 800 && feed.subscribers === 2; batch++) {
      fleet.emit('events', 'eu1', Array.from({ length: 5 }, () => event('eu1', { payload })));
      sent += 5;
      await new Promise((resolve) => setTimeout(resolve, batch % 20 === 0 ? 5 : 0));
    }
    assert.equal(feed.dropped, 1);
    assert.equal(feed.subscribers, 1);
    await fast.waitFor(() => fast.messages.length === sent, 10_000, `all ${sent} messages on the fast client`);
    assert.equal(fast.ended, false);
    fast.close();
    slow.destroy();
  });
});
