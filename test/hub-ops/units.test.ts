import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RpcFault } from '../../node-agent/api/faults.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { describeFailure } from '../../hub/ops/agent-calls.js';
import { compileGlob, matchGlob } from '../../hub/ops/glob.js';
import { healthUrlFor } from '../../hub/ops/health.js';
import { checkRequest } from '../../hub/ops/request.js';
import { hostsPerBatch, parseBatchSize, planBatches, type Batch } from '../../hub/ops/plan.js';
import { ProgressFeed } from '../../hub/ops/progress.js';
import { parseSelector, resolveSelectors, type SelectionSource } from '../../hub/ops/selectors.js';
import type { ProcessTarget, ProgressEvent } from '../../hub/ops/types.js';
import type { AgentSpec, ProcessSnapshot } from '../../hub/types.js';

describe('glob', () => {
  test('* ? and sets, anchored and case-sensitive', () => {
    assert.ok(matchGlob('web*', 'web12'));
    assert.ok(!matchGlob('web*', 'aweb'));
    assert.ok(matchGlob('w?b', 'wab'));
    assert.ok(!matchGlob('w?b', 'wb'));
    assert.ok(matchGlob('h[1-3]', 'h2'));
    assert.ok(!matchGlob('h[1-3]', 'h4'));
    assert.ok(matchGlob('h[!2]', 'h1') && !matchGlob('h[!2]', 'h2'));
    assert.ok(matchGlob('h[^2]', 'h3') && !matchGlob('h[^2]', 'h2'));
    assert.ok(matchGlob('a.b', 'a.b') && !matchGlob('a.b', 'axb'), 'a dot is literal');
    assert.ok(matchGlob('[]x]', ']'), 'a ] first in a set is a member');
    assert.ok(!matchGlob('Web', 'web'));
  });

  test('an unclosed or backwards set is explained, not thrown', () => {
    assert.equal(compileGlob('web[12'), "'[' at position 4 is never closed");
    assert.equal(compileGlob('[z-a]'), 'a [..] set has a range out of order');
  });
});

describe('parseSelector', () => {
  test('host glob, tag and bare namespec', () => {
    assert.deepEqual(parseSelector('web*/app:*'), { text: 'web*/app:*', hosts: { kind: 'name', glob: 'web*' }, spec: { kind: 'process', group: 'app', name: '*' } });
    assert.deepEqual(parseSelector('@prod/all').hosts, { kind: 'tag', glob: 'prod' });
    assert.deepEqual(parseSelector('@prod/all').spec, { kind: 'all' });
    assert.deepEqual(parseSelector('nginx'), { text: 'nginx', hosts: { kind: 'every' }, spec: { kind: 'program', name: 'nginx' } });
    assert.deepEqual(parseSelector('h1/app:').spec, { kind: 'process', group: 'app', name: '*' }, "'group:' is the whole group");
  });

  test('errors name the selector and what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /selector '': empty/],
      ['a b', /white space/],
      ['a/b/c', /more than one '\/'/],
      ['/web', /nothing before '\/'/],
      ['h1/', /no NAMESPEC after '\/'/],
      ['@/web', /'@' without a tag name/],
      ['h1/:web', /no group before ':'/],
      ['h[1/web', /host pattern 'h\[1': '\[' at position 2 is never closed/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseSelector(text), (err: FleetvisorError) => err.code === 'FV_OPS_BAD_SELECTOR' && message.test(err.message), text);
    }
  });
});

function row(agent: string, group: string, name: string): ProcessSnapshot {
  return { agent, group, name, state: 'RUNNING', statecode: 20, pid: 1, description: '', start: 0, stop: 0, exitstatus: 0, spawnerr: '', updated: 0 };
}

const AGENTS: AgentSpec[] = [
  { name: 'web2', url: 'unix:///x', tags: ['prod'], source: 'config' },
  { name: 'web1', url: 'unix:///x', tags: ['prod', 'eu'], source: 'config' },
  { name: 'db1', url: 'unix:///x', tags: ['db'], source: 'api' },
];

const SOURCE: SelectionSource = {
  agents: () => AGENTS,
  snapshot: (agent) =>
    agent === 'db1'
      ? [row('db1', 'postgres', 'postgres')]
      : [row(agent, 'nginx', 'nginx'), row(agent, 'app', 'app_00'), row(agent, 'app', 'app_01'), row(agent, 'app_00', 'app_00')],
};

describe('resolveSelectors', () => {
  const labels = (selectors: string[], action: 'start' | 'update' = 'start'): string[] =>
    resolveSelectors(selectors, SOURCE, action).map((target) => `${target.agent}/${target.namespec}`);

  test('a bare name is a program (group of the same name), as in supervisorctl', () => {
    assert.deepEqual(labels(['app_00']), ['web1/app_00', 'web2/app_00'], 'named as supervisorctl names them');
    assert.deepEqual(labels(['app_00:app_00']), ['web1/app_00', 'web2/app_00'], 'the long form selects the same');
    assert.deepEqual(labels(['app:app_0?']), ['web1/app:app_00', 'web1/app:app_01', 'web2/app:app_00', 'web2/app:app_01']);
    assert.deepEqual(labels(['web1/app:*', 'web1/app:']), ['web1/app:app_00', 'web1/app:app_01']);
    assert.deepEqual(labels(['*']), ['db1/postgres', 'web1/app_00', 'web1/nginx', 'web2/app_00', 'web2/nginx']);
  });

  test('hosts by glob or tag, sorted by host then namespec, duplicates merged', () => {
    assert.deepEqual(labels(['@eu/nginx', 'web*/nginx:nginx']), ['web1/nginx', 'web2/nginx']);
    assert.deepEqual(labels(['@d?/all']), ['db1/postgres']);
    const target = resolveSelectors(['web1/app:app_01'], SOURCE, 'start')[0] as ProcessTarget;
    assert.deepEqual(target, { kind: 'process', agent: 'web1', group: 'app', name: 'app_01', namespec: 'app:app_01' });
  });

  test('update targets hosts with the union of their groups', () => {
    assert.deepEqual(resolveSelectors(['web1/app', 'web1/nginx:*', '@db/all'], SOURCE, 'update'), [
      { kind: 'host', agent: 'db1', groups: [], namespec: 'all' },
      { kind: 'host', agent: 'web1', groups: ['app', 'nginx'], namespec: 'app nginx' },
    ]);
    assert.deepEqual(labels(['web1/app', 'web1/*'], 'update'), ['web1/all']);
  });

  test('a selector that matches nothing is an error', () => {
    assert.throws(() => resolveSelectors([], SOURCE, 'start'), { code: 'FV_OPS_BAD_SELECTOR', message: 'no selector given' });
    assert.throws(() => resolveSelectors(['nginx', 'db1/nginx'], SOURCE, 'start'), { code: 'FV_OPS_NO_MATCH', message: "selector 'db1/nginx': no process matches 'nginx' on db1" });
    assert.throws(() => resolveSelectors(['@staging/all'], SOURCE, 'start'), { code: 'FV_OPS_NO_MATCH', message: "selector '@staging/all': no agent has a tag matching 'staging'" });
    assert.throws(() => resolveSelectors(['x'], { agents: () => [], snapshot: () => [] }, 'start'), { code: 'FV_OPS_NO_MATCH', message: "selector 'x': the hub follows no agent" });
  });
});

describe('plan', () => {
  const target = (agent: string, name: string): ProcessTarget => ({ kind: 'process', agent, group: name, name, namespec: name });
  const targets = ['h3', 'h1', 'h5', 'h2', 'h4'].flatMap((host) => [target(host, 'b'), target(host, 'a')]);
  const shape = (batches: Batch<ProcessTarget>[]): string[] => batches.map((batch) => batch.targets.map((t) => `${t.agent}:${t.name}`).join(' '));

  test('parallel is one batch in host, namespec order', () => {
    const batches = planBatches(targets, 'parallel');
    assert.equal(batches.length, 1);
    assert.equal(shape(batches)[0], 'h1:a h1:b h2:a h2:b h3:a h3:b h4:a h4:b h5:a h5:b');
  });

  test('rolling batches count hosts: every process of a host goes together', () => {
    assert.deepEqual(shape(planBatches(targets, 'rolling', parseBatchSize(2))), ['h1:a h1:b h2:a h2:b', 'h3:a h3:b h4:a h4:b', 'h5:a h5:b']);
    assert.deepEqual(planBatches(targets, 'rolling', parseBatchSize('2')).map((b) => b.index), [1, 2, 3]);
    assert.deepEqual(shape(planBatches(targets, 'rolling', parseBatchSize('40%'))), ['h1:a h1:b h2:a h2:b', 'h3:a h3:b h4:a h4:b', 'h5:a h5:b']);
    assert.equal(planBatches(targets, 'rolling', parseBatchSize('100%')).length, 1);
    assert.equal(planBatches([], 'rolling').length, 0);
  });

  test('a share rounds up and is never below one host', () => {
    assert.equal(hostsPerBatch(parseBatchSize('1%'), 5), 1);
    assert.equal(hostsPerBatch(parseBatchSize('21%'), 5), 2);
    assert.equal(hostsPerBatch(parseBatchSize('50%'), 3), 2);
    assert.equal(hostsPerBatch(parseBatchSize(10), 3), 3);
  });

  test('bad batch sizes are refused', () => {
    for (const value of [0, -1, 1.5, '0', '0%', '101%', 'ten', '5 hosts', '']) {
      assert.throws(() => parseBatchSize(value), { code: 'FV_OPS_BAD_REQUEST' }, String(value));
    }
  });
});

describe('checkRequest', () => {
  const base = { user: 'u', action: 'restart', selectors: ['web'], mode: 'rolling' } as const;

  test('defaults: rolling stops on failure, parallel does not', () => {
    const rolling = checkRequest(base);
    assert.equal(rolling.stopOnFailure, true);
    assert.deepEqual(rolling.batch, { kind: 'count', count: 1 });
    assert.equal(rolling.parallel, 16);
    assert.equal(rolling.waitMs, 0);
    assert.ok(Object.isFrozen(rolling));
    assert.equal(checkRequest({ ...base, mode: 'parallel' }).stopOnFailure, false);
    const full = checkRequest({ ...base, waitSeconds: 1.5, pauseSeconds: 2, healthUrl: 'http://{host}:8080/health', stopOnFailure: false });
    assert.deepEqual([full.waitMs, full.pauseMs, full.stopOnFailure], [1500, 2000, false]);
    assert.deepEqual(full.health, { kind: 'every', url: 'http://{host}:8080/health' });
  });

  test('every bad field is refused with its name', () => {
    const cases: [object, RegExp][] = [
      [{ user: '' }, /^user/],
      [{ action: 'reload' }, /^action 'reload': expected one of start, stop, restart, signal, clear, update/],
      [{ selectors: [] }, /^selectors/],
      [{ selectors: [3] }, /^selectors/],
      [{ mode: 'fast' }, /^mode 'fast'/],
      [{ action: 'signal' }, /^signal 'undefined'/],
      [{ action: 'signal', signal: 'HUP;rm' }, /^signal/],
      [{ signal: 'HUP' }, /only the signal action/],
      [{ parallel: 0 }, /^parallel/],
      [{ waitSeconds: -1 }, /^waitSeconds/],
      [{ healthUrl: 'ftp://x' }, /only http:\/\/ and https:\/\//],
      [{ healthUrl: { web: 'nope' } }, /^healthUrl\[web\] 'nope': not a URL/],
      [{ stopOnFailure: 'yes' }, /^stopOnFailure/],
      [{ mode: 'parallel', batch: 2 }, /only a rolling operation has batches/],
    ];
    for (const [patch, message] of cases) {
      assert.throws(() => checkRequest({ ...base, ...patch } as never), (err: FleetvisorError) => err.code === 'FV_OPS_BAD_REQUEST' && message.test(err.message), JSON.stringify(patch));
    }
    assert.equal(checkRequest({ ...base, action: 'signal', signal: 'SIGUSR1' }).signal, 'SIGUSR1');
    assert.equal(checkRequest({ ...base, action: 'signal', signal: '15' }).signal, '15');
  });
});

test('health URL per program, with placeholders', () => {
  const target: ProcessTarget = { kind: 'process', agent: 'web1', group: 'app', name: 'app_01', namespec: 'app:app_01' };
  const agent: AgentSpec = { name: 'web1', url: 'http://10.0.0.7:9001', tags: [], source: 'config' };
  const perProgram = { kind: 'per-program', urls: { app: 'http://{host}:8080/{agent}', 'app:app_01': 'http://{host}:8081/' } } as const;
  assert.equal(healthUrlFor(perProgram, target, agent), 'http://10.0.0.7:8081/', 'group:name wins over group');
  assert.equal(healthUrlFor(perProgram, { ...target, name: 'app_00', namespec: 'app:app_00' }, agent), 'http://10.0.0.7:8080/web1');
  assert.equal(healthUrlFor(perProgram, { ...target, group: 'other', namespec: 'other:app_01' }, agent), undefined);
  const web: ProcessTarget = { kind: 'process', agent: 'web1', group: 'web', name: 'web', namespec: 'web' };
  assert.equal(healthUrlFor({ kind: 'per-program', urls: { 'web:web': 'http://{host}:80/' } }, web, agent), 'http://10.0.0.7:80/', 'a key in the long form still names web');
  assert.equal(healthUrlFor({ kind: 'every', url: 'http://{host}/h' }, target, { ...agent, url: 'unix:///s' }), 'http://web1/h', 'a unix agent: its name');
  assert.equal(healthUrlFor(undefined, target, agent), undefined);
});

test('failures read like supervisorctl', () => {
  assert.equal(describeFailure(new RpcFault('SPAWN_ERROR', 'web')), 'spawn error');
  assert.equal(describeFailure(new RpcFault('NO_FILE', "can't find command '/x'")), "no such file: can't find command '/x'");
  assert.equal(describeFailure(new RpcFault('BAD_NAME', 'web')), 'no such process');
  assert.equal(describeFailure(RpcFault.fromWire(30, 'FAILED: web is in an unknown process state')), 'FAILED: web is in an unknown process state');
  assert.equal(describeFailure(RpcFault.fromWire(999, 'WEIRD')), 'WEIRD');
  assert.equal(describeFailure(new FleetvisorError('FV_RPC_TRANSPORT', 'unix:///s: connect ENOENT')), 'unix:///s: connect ENOENT');
});

describe('ProgressFeed', () => {
  const batch: ProgressEvent = { type: 'batch', index: 1, total: 1, targets: ['h1/a'] };
  const result: ProgressEvent = { type: 'target', agent: 'h1', namespec: 'a', status: 'ok', message: 'started', ms: 5 };
  const done: ProgressEvent = { type: 'done', status: 'succeeded', counts: { total: 1, ok: 1, failed: 0, skipped: 0 } };

  test('a late subscriber gets the past first, then the live events', () => {
    const feed = new ProgressFeed();
    feed.push(batch);
    const got: string[] = [];
    const unsubscribe = feed.subscribe((event) => got.push(event.type));
    feed.push(result);
    unsubscribe();
    feed.push(done);
    assert.deepEqual(got, ['batch', 'target']);
    assert.throws(() => feed.push(result), /after done/);
  });

  test('an iterator started before the end waits for events and ends after done', async () => {
    const feed = new ProgressFeed();
    const collected = (async () => {
      const types: string[] = [];
      for await (const event of feed) types.push(event.type);
      return types;
    })();
    feed.push(batch);
    await new Promise((resolve) => setImmediate(resolve));
    feed.push(result);
    feed.push(done);
    assert.deepEqual(await collected, ['batch', 'target', 'done']);
  });

  test('a throwing listener does not stop the others', () => {
    const feed = new ProgressFeed();
    let heard = 0;
    feed.subscribe(() => {
      throw new Error('boom');
    });
    feed.subscribe(() => heard++);
    feed.push(batch);
    assert.equal(heard, 1);
  });
});
