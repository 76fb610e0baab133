import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProcessSnapshot } from '../../hub/types.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { tempStore } from './helpers.js';

const code = (expected: string) => (err: unknown): boolean => err instanceof FleetvisorError && err.code === expected;

test('agents: hub.ini agents are synced (added, changed, dropped) and read-only; runtime agents are CRUD', () => {
  const t = tempStore({
    configAgents: [
      { name: 'web1', url: 'http://web1:9001', tags: ['prod'], source: 'config' },
      { name: 'old', url: 'http://old:9001', tags: [], source: 'config' },
    ],
  });
  try {
    const agents = t.store.agents;
    const added = agents.add({ name: 'edge1', url: 'unix:///run/sv.sock', username: 'u', password: 'p', tags: ['edge'] });
    assert.deepEqual(added, { name: 'edge1', url: 'unix:///run/sv.sock', username: 'u', password: 'p', tags: ['edge'], source: 'api' });
    assert.throws(() => agents.add({ name: 'web1', url: 'http://x', tags: [] }), code('FV_STORE_CONFLICT'));
    assert.throws(() => agents.update('web1', { tags: ['x'] }), code('FV_STORE_CONFLICT'));
    assert.throws(() => agents.remove('web1'), code('FV_STORE_CONFLICT'));
    assert.throws(() => agents.remove('nope'), code('FV_STORE_NOT_FOUND'));
    assert.deepEqual(agents.update('edge1', { tags: ['edge', 'eu'], password: undefined }).tags, ['edge', 'eu']);

    // A restart with a changed hub.ini.
    const store = t.reopen({ configAgents: [{ name: 'web1', url: 'http://web1:9002', tags: ['prod', 'eu'], source: 'config' }] });
    assert.deepEqual(store.agents.list().map((a) => [a.name, a.source]), [['edge1', 'api'], ['web1', 'config']]);
    assert.equal(store.agents.get('web1')?.url, 'http://web1:9002');
    assert.equal(store.agents.get('edge1')?.password, undefined);
    store.agents.remove('edge1');
    assert.equal(store.agents.get('edge1'), undefined);
  } finally {
    t.cleanup();
  }
});

function proc(agent: string, name: string, state: string, updated = 1): ProcessSnapshot {
  return { agent, group: name, name, state, statecode: state === 'RUNNING' ? 20 : 0, pid: state === 'RUNNING' ? 99 : 0, description: '', start: 0, stop: 0, exitstatus: 0, spawnerr: '', updated };
}

test('snapshot: a full replace drops vanished processes, upserts change rows, list filters', () => {
  const t = tempStore({ configAgents: [{ name: 'web1', url: 'http://web1', tags: ['prod'], source: 'config' }] });
  try {
    const snap = t.store.snapshot;
    snap.replaceAgent('web1', [proc('web1', 'api', 'RUNNING'), proc('web1', 'cron', 'STOPPED')]);
    snap.replaceAgent('web2', [proc('web2', 'api', 'FATAL')]);
    snap.replaceAgent('web1', [proc('web1', 'api', 'RUNNING', 2), proc('web1', 'worker', 'STARTING')]);
    assert.deepEqual(snap.list().map((p) => `${p.agent}:${p.name}`), ['web1:api', 'web1:worker', 'web2:api']);
    snap.upsert({ ...proc('web1', 'worker', 'RUNNING', 3) });
    assert.equal(snap.list({ processes: ['work*'] })[0].state, 'RUNNING');
    assert.deepEqual(snap.list({ states: ['fatal'] }).map((p) => p.agent), ['web2']);
    assert.deepEqual(snap.list({ tags: ['prod'] }).map((p) => p.name), ['api', 'worker']);
    assert.deepEqual(snap.list({ hosts: ['web?'], processes: ['api'] }).map((p) => p.agent), ['web1', 'web2']);
    assert.deepEqual(snap.list({ hosts: ['web1'], processes: ['api'] })[0], proc('web1', 'api', 'RUNNING', 2));
    assert.equal(snap.remove('web1', 'worker', 'worker'), true);
    assert.equal(snap.removeAgent('web2'), 1);
    assert.equal(snap.list().length, 1);
  } finally {
    t.cleanup();
  }
});

test('snapshot: what a restarted hub recalls of an agent: its rows (by exact name) and its last contact', () => {
  const t = tempStore();
  try {
    const snap = t.store.snapshot;
    snap.replaceAgent('web[1]', [proc('web[1]', 'api', 'RUNNING', 5)]);
    snap.replaceAgent('web1', [proc('web1', 'api', 'FATAL')]);
    snap.recordContact({ agent: 'web[1]' });
    assert.deepEqual(snap.stored('web[1]'), { rows: [proc('web[1]', 'api', 'RUNNING', 5)] }, 'no contact before the first successful call');
    snap.recordContact({ agent: 'web[1]', boot: 'pid:10', lastContact: 1000 });
    snap.recordContact({ agent: 'web[1]', boot: 'pid:11', lastContact: 2000 });
    const store = t.reopen();
    assert.deepEqual(store.snapshot.stored('web[1]'), { rows: [proc('web[1]', 'api', 'RUNNING', 5)], boot: 'pid:11', lastContact: 2000 });
    assert.deepEqual(store.snapshot.stored('nobody'), { rows: [] });
    assert.equal(store.snapshot.removeAgent('web[1]'), 1);
    assert.deepEqual(store.snapshot.stored('web[1]'), { rows: [] }, 'a removed agent is forgotten, contact included');
    assert.equal(store.snapshot.stored('web1').rows.length, 1);
  } finally {
    t.cleanup();
  }
});

test('operations log: an operation with per-target results, listing newest first', () => {
  const t = tempStore();
  try {
    const ops = t.store.ops;
    const id = ops.start({ user: 'alice', action: 'restart', mode: 'rolling', selectors: { tags: ['web'], processes: ['api'] }, started: 100 });
    ops.recordTarget(id, { agent: 'web1', process: 'api', result: 'ok', message: '', time: 110 });
    // `api:api` is how hubs before supervisorctl-style namespecs stored it: read back as `api`.
    ops.recordTarget(id, { agent: 'web2', process: 'api:api', result: 'failed', message: 'SPAWN_ERROR', time: 120 });
    ops.recordTarget(id, { agent: 'web3', result: 'skipped', message: 'offline', time: 121 });
    ops.recordTarget(id, { agent: 'web4', process: 'pool:a', result: 'ok', message: '', time: 122 });
    assert.equal(ops.get(id)?.status, 'running');
    ops.finish(id, 'partial', 130);
    const other = ops.start({ user: 'bob', action: 'stop', mode: 'parallel', selectors: ['web1:*'] });
    assert.deepEqual(ops.get(id), {
      id,
      user: 'alice',
      started: 100,
      finished: 130,
      action: 'restart',
      mode: 'rolling',
      selectors: { tags: ['web'], processes: ['api'] },
      status: 'partial',
      targets: [
        { agent: 'web1', process: 'api', result: 'ok', message: '', time: 110 },
        { agent: 'web2', process: 'api', result: 'failed', message: 'SPAWN_ERROR', time: 120 },
        { agent: 'web3', result: 'skipped', message: 'offline', time: 121 },
        { agent: 'web4', process: 'pool:a', result: 'ok', message: '', time: 122 },
      ],
    });
    assert.deepEqual(ops.list().map((o) => o.id), [other, id]);
    assert.deepEqual(ops.list({ user: 'alice' }).map((o) => o.id), [id]);
    assert.deepEqual(ops.list({ beforeId: other }).map((o) => o.id), [id]);
    assert.deepEqual(ops.list({ limit: 1 }).map((o) => o.id), [other]);
    assert.equal(ops.get(9999), undefined);
    assert.throws(() => ops.finish(9999, 'failed'), code('FV_STORE_NOT_FOUND'));
    assert.throws(() => ops.recordTarget(9999, { agent: 'x', result: 'ok', message: '', time: 1 }), code('FV_STORE_NOT_FOUND'));
  } finally {
    t.cleanup();
  }
});
