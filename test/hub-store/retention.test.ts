import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Retention } from '../../hub/store/retention.js';
import type { HubEvent } from '../../hub/types.js';
import { HOUR, stateEvent, T0, tempStore } from './helpers.js';

function hourly(agent: string, hours: number): HubEvent[] {
  return Array.from({ length: hours * 10 }, (_, i) => stateEvent(agent, `p${i % 3}`, i % 2 === 0 ? 'RUNNING' : 'EXITED', T0 + i * (HOUR / 10), i + 1, { expected: false }));
}

test('retention by age deletes older events in chunks, keeps the count exact, and drops old counters', async () => {
  const t = tempStore();
  try {
    t.store.events.ingest('a', hourly('a', 48)); // 480 events over two days
    const now = T0 + 48 * HOUR;
    const retention = new Retention(t.store.db, { maxAgeMs: 24 * HOUR, chunkRows: 50 }, () => now);
    const result = await retention.runOnce();
    assert.equal(result.deletedByAge, 240);
    assert.equal(t.store.events.count(), 240);
    const oldest = t.store.history.query({ order: 'asc', limit: 1 }, now).events[0];
    assert.equal(oldest.time, T0 + 24 * HOUR);
    const counters = t.store.db.prepare('SELECT min(hour) AS hour FROM process_hourly').get() as { hour: number };
    assert.equal(counters.hour, T0 + 24 * HOUR);
    const daily = t.store.db.prepare('SELECT min(day) AS day FROM process_daily').get() as { day: number };
    assert.equal(daily.day, T0 + 24 * HOUR);
    assert.ok(result.counterRowsDeleted >= 24 * 3);
    // A second pass finds nothing more.
    assert.deepEqual(await retention.runOnce(), { deletedByAge: 0, deletedByRows: 0, counterRowsDeleted: 0 });
  } finally {
    t.cleanup();
  }
});

test('retention by row count deletes the oldest stored events down to the limit', async () => {
  const t = tempStore();
  try {
    t.store.events.ingest('a', hourly('a', 10)); // 100 events
    const retention = new Retention(t.store.db, { maxRows: 30, chunkRows: 7 });
    const result = await retention.runOnce();
    assert.equal(result.deletedByRows, 70);
    assert.equal(t.store.events.count(), 30);
    assert.equal((t.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 30);
    const serials = t.store.history.query({ order: 'asc', limit: 100 }).events.map((e) => e.serial);
    assert.deepEqual(serials, Array.from({ length: 30 }, (_, i) => 71 + i));
  } finally {
    t.cleanup();
  }
});

test('ingest batches interleave with a long retention pass instead of waiting for it', async () => {
  const t = tempStore();
  try {
    t.store.events.ingest('a', hourly('a', 100)); // 1000 events
    const retention = new Retention(t.store.db, { maxRows: 10, chunkRows: 10 });
    const pass = retention.runOnce();
    let ingestedDuringPass = 0;
    let serial = 10_000;
    const writer = setInterval(() => {
      t.store.events.ingest('b', [stateEvent('b', 'x', 'RUNNING', T0, ++serial)]);
      ingestedDuringPass++;
    }, 0);
    const result = await pass;
    clearInterval(writer);
    assert.ok(result.deletedByRows >= 990, String(result.deletedByRows));
    assert.ok(ingestedDuringPass > 0, 'no batch ran while the pass was deleting');
    assert.equal(t.store.events.count(), (t.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);
  } finally {
    t.cleanup();
  }
});

test('start() runs passes on a timer and stop() ends them; bad policies are refused', async () => {
  const t = tempStore({ retention: { maxRows: 5, intervalMs: 20 } });
  try {
    t.store.events.ingest('a', hourly('a', 1));
    t.store.retention.start();
    const deadline = Date.now() + 5000;
    while (t.store.events.count() > 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(t.store.events.count(), 5);
    t.store.retention.stop();
    t.store.events.ingest('a', hourly('a', 1).map((e) => ({ ...e, serial: e.serial! + 100 })));
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(t.store.events.count(), 15, 'no pass after stop()');
    assert.throws(() => new Retention(t.store.db, { maxRows: 0 }), RangeError);
    assert.throws(() => new Retention(t.store.db, { maxAgeMs: -1 }), RangeError);
  } finally {
    t.cleanup();
  }
});
