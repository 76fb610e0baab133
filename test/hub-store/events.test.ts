import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HubStore } from '../../hub/store/index.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { stateEvent, T0, tempStore } from './helpers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

test('ingest stores events with ids, the cursor in the same call, and reads them back', () => {
  const t = tempStore();
  try {
    const events = [stateEvent('web1', 'api', 'STARTING', T0, 1), stateEvent('web1', 'api', 'RUNNING', T0 + 1000, 2, { pid: 42, payload: 'x' })];
    const result = t.store.events.ingest('web1', events, 'boot-1:2');
    assert.equal(result.inserted, 2);
    assert.equal(result.duplicates, 0);
    assert.equal(t.store.events.getCursor('web1'), 'boot-1:2');
    assert.equal(t.store.events.getCursor('web2'), undefined);
    const stored = t.store.events.getEvent(result.events[1].id!);
    assert.deepEqual(stored, { ...events[1], id: result.events[1].id, observed: false });
    assert.equal(t.store.events.count(), 2);
  } finally {
    t.cleanup();
  }
});

test('a replayed reported event (same agent, boot, serial) is ignored; observed events are not deduplicated', () => {
  const t = tempStore();
  try {
    const first = [stateEvent('web1', 'api', 'RUNNING', T0, 1), stateEvent('web1', 'api', 'EXITED', T0 + 5000, 2, { expected: false })];
    t.store.events.ingest('web1', first, 'boot-1:2');
    const again = t.store.events.ingest('web1', [...first, stateEvent('web1', 'api', 'RUNNING', T0 + 6000, 3)], 'boot-1:3');
    assert.equal(again.inserted, 1);
    assert.equal(again.duplicates, 2);
    assert.deepEqual(again.events.map((e) => e.serial), [3]);
    // The same serial under another boot or another agent is a different event.
    assert.equal(t.store.events.ingest('web1', [stateEvent('web1', 'api', 'RUNNING', T0, 1, { boot: 'boot-2' })]).inserted, 1);
    assert.equal(t.store.events.ingest('web2', [stateEvent('web2', 'api', 'RUNNING', T0, 1)]).inserted, 1);
    const observed = stateEvent('web3', 'api', 'RUNNING', T0, null);
    assert.equal(t.store.events.ingest('web3', [observed, observed]).inserted, 2);
    assert.equal(t.store.events.count(), 7);
    // Duplicates feed no counters: one start for web1:api in boot-1, one in boot-2.
    const [summary] = t.store.summaries.summarize({ hosts: ['web1'], since: T0 - 1000, until: T0 + 10_000 }, T0 + 10_000);
    assert.equal(summary.starts, 3);
    assert.equal(summary.unexpectedExits, 1);
  } finally {
    t.cleanup();
  }
});

test('an event of another agent or without a time is refused before anything is written', () => {
  const t = tempStore();
  try {
    const good = stateEvent('web1', 'api', 'RUNNING', T0, 1);
    assert.throws(
      () => t.store.events.ingest('web1', [good, stateEvent('web2', 'api', 'RUNNING', T0, 2)], 'boot-1:2'),
      (err: unknown) => err instanceof FleetvisorError && err.code === 'FV_STORE_BAD_INPUT',
    );
    assert.throws(() => t.store.events.ingest('web1', [{ ...good, time: Number.NaN }]), FleetvisorError);
    assert.equal(t.store.events.count(), 0);
    assert.equal(t.store.events.getCursor('web1'), undefined);
  } finally {
    t.cleanup();
  }
});

test('a batch that fails inside its transaction leaves neither events nor cursor, and later batches still work', () => {
  const t = tempStore();
  try {
    t.store.events.ingest('web1', [stateEvent('web1', 'api', 'RUNNING', T0, 1)], 'boot-1:1');
    t.store.db.exec(`CREATE TRIGGER fail_on_fatal BEFORE INSERT ON events WHEN NEW.to_state = 'FATAL' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    assert.throws(() =>
      t.store.events.ingest('web1', [stateEvent('web1', 'new', 'STARTING', T0 + 1, 2), stateEvent('web1', 'new', 'FATAL', T0 + 2, 3)], 'boot-1:3'),
    );
    assert.equal(t.store.events.count(), 1);
    assert.equal(t.store.events.getCursor('web1'), 'boot-1:1');
    t.store.db.exec('DROP TRIGGER fail_on_fatal');
    // The series `new` was created in the rolled-back transaction: the cache must not still point at it.
    const retry = t.store.events.ingest('web1', [stateEvent('web1', 'new', 'STARTING', T0 + 1, 2)], 'boot-1:2');
    assert.equal(retry.inserted, 1);
    assert.equal(t.store.history.query({ processes: ['new'] }).events.length, 1);
  } finally {
    t.cleanup();
  }
});

test('crash context attached after the fact is returned with the event', () => {
  const t = tempStore();
  try {
    const [exit] = t.store.events.ingest('web1', [stateEvent('web1', 'api', 'EXITED', T0, 1, { expected: false, exitStatus: 3 })]).events;
    assert.equal(t.store.events.attachCrashContext(exit.id!, 'last out\n', 'Traceback\n'), true);
    assert.equal(t.store.events.attachCrashContext(999_999, 'x', 'y'), false);
    const stored = t.store.events.getEvent(exit.id!)!;
    assert.equal(stored.crashStdout, 'last out\n');
    assert.equal(stored.crashStderr, 'Traceback\n');
    assert.equal(stored.exitStatus, 3);
    assert.equal(stored.expected, false);
  } finally {
    t.cleanup();
  }
});

test('a hub killed mid-ingest reopens with the cursor matching exactly the events stored', async () => {
  const t = tempStore();
  t.store.close();
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'ingest-child.ts'), t.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let batches = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      batches += chunk.split('\n').filter((line) => line === 'batch').length;
      if (batches >= 30 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    const [code, signal] = await once(child, 'exit');
    assert.equal(signal, 'SIGKILL', `child exited by itself with ${code}`);

    const store = HubStore.open(t.path);
    t.store = store;
    const cursor = store.events.getCursor('web1')!;
    const cursorSerial = Number(cursor.split(':')[1]);
    const { n, max } = store.db.prepare('SELECT count(*) AS n, max(serial) AS max FROM events').get() as { n: number; max: number };
    assert.ok(cursorSerial >= 30 * 50, `cursor ${cursor} after ${batches} batches`);
    assert.equal(n, cursorSerial);
    assert.equal(max, cursorSerial);
    assert.equal(store.events.count(), n);

    // Resuming replays from the cursor; a replay overlapping what was stored adds nothing twice.
    const replay = Array.from({ length: 100 }, (_, i) => stateEvent('web1', `p${(cursorSerial - 49 + i) % 7}`, 'RUNNING', T0 + cursorSerial - 49 + i, cursorSerial - 49 + i));
    const result = store.events.ingest('web1', replay, `boot-1:${cursorSerial + 50}`);
    assert.equal(result.inserted, 50);
    assert.equal(result.duplicates, 50);
    assert.equal(store.events.count(), cursorSerial + 50);
  } finally {
    t.cleanup();
  }
});

test('a batch longer than one INSERT with duplicates inside and across it maps every stored event to its own id', () => {
  const t = tempStore();
  try {
    t.store.events.ingest('web1', [stateEvent('web1', 'api', 'RUNNING', T0, 10)]);
    const batch = Array.from({ length: 130 }, (_, i) =>
      stateEvent('web1', `p${i % 3}`, i % 2 === 0 ? 'RUNNING' : 'EXITED', T0 + 1000 + i, i, { expected: false, pid: 100 + i }),
    );
    batch.splice(70, 0, { ...batch[69] }); // the same serial twice in one batch
    const result = t.store.events.ingest('web1', batch, 'boot-1:129');
    // Serial 10 was stored before; serial 69 comes twice.
    assert.equal(result.inserted, 129);
    assert.equal(result.duplicates, 2);
    assert.equal(result.events.filter((e) => e.serial === 10).length, 0);
    assert.equal(new Set(result.events.map((e) => e.id)).size, 129);
    for (const event of result.events) {
      const stored = t.store.events.getEvent(event.id!)!;
      assert.equal(stored.serial, event.serial);
      assert.equal(stored.pid, event.pid);
      assert.equal(stored.process, event.process);
    }
    assert.equal(t.store.events.count(), 130);
    // Ids keep growing after a batch with gaps.
    const [next] = t.store.events.ingest('web1', [stateEvent('web1', 'api', 'FATAL', T0 + 9000, 500)]).events;
    assert.ok(next.id! > Math.max(...result.events.map((e) => e.id!)));
  } finally {
    t.cleanup();
  }
});
