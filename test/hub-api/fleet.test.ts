/**
 * The hub API over a live fleet: two real fleetvisord agents from the
 * config (web1 tagged eu, web2 tagged us) and a real supervisord added and
 * removed through the API.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO, startAgent, type TestAgent } from '../hub-fleet/agents.js';
import { ADMIN_PASSWORD, api, eventually, login, SseReader, startTestHub, type TestHub } from './helpers.js';

const PROGRAMS = `
[program:web]
command=/bin/sleep 1000
startsecs=0
autorestart=false

[program:ticker]
command=/bin/sh -c 'echo ticker-up; echo ticker-err >&2; while true; do echo tick; sleep 0.2; done'
startsecs=0
autorestart=false
`;

/** web1 only: a program whose processes are named `multi:multi_00`, not by their group's name. */
const MULTI = `
[program:multi]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0
autorestart=false
`;

describe('hub API over a live fleet', () => {
  let web1: TestAgent;
  let web2: TestAgent;
  let hub: TestHub;
  let admin: Awaited<ReturnType<typeof login>>;
  let bearer: { token: string };

  before(async () => {
    [web1, web2] = await Promise.all([startAgent('fleetvisord', PROGRAMS + MULTI), startAgent('fleetvisord', PROGRAMS)]);
    hub = await startTestHub([web1.spec('web1', { tags: ['eu'] }), web2.spec('web2', { tags: ['us'] })]);
    admin = await login(hub.url, 'admin', ADMIN_PASSWORD);
    bearer = { token: admin.token };
    await eventually(async () => {
      const answer = await api(hub.url, 'GET', '/api/v1/processes?state=RUNNING', { auth: bearer });
      return answer.body.processes.length === 6 && answer.body.hosts.online === 2;
    }, 10_000, 'both agents online with their processes RUNNING');
  });
  after(async () => {
    await hub?.stop();
    await Promise.all([web1?.dispose(), web2?.dispose()]);
  });

  it('lists processes with filters: repeated parameters OR, different ones AND', async () => {
    const get = async (query: string) => (await api(hub.url, 'GET', `/api/v1/processes?${query}`, { auth: bearer })).body;
    const all = await get('');
    // Named as supervisorctl names them: `web`, not `web:web`.
    assert.deepEqual(all.processes.map((p: any) => `${p.agent}/${p.namespec}`), ['web1/multi:multi_00', 'web1/multi:multi_01', 'web1/ticker', 'web1/web', 'web2/ticker', 'web2/web']);
    assert.deepEqual(all.states, { RUNNING: 6 });
    assert.deepEqual(all.hosts, { online: 2, offline: 0, total: 2 });
    assert.equal(all.processes[1].state, 'RUNNING');
    assert.ok(all.processes[1].pid > 0);
    assert.deepEqual((await get('host=web1')).processes.map((p: any) => p.agent), ['web1', 'web1', 'web1', 'web1']);
    assert.deepEqual((await get('tag=us&name=web')).processes.map((p: any) => `${p.agent}/${p.name}`), ['web2/web']);
    assert.equal((await get('host=web1&host=web2&name=ticker')).processes.length, 2);
    assert.equal((await get('group=web&group=ticker&host=web2')).processes.length, 2);
    assert.equal((await get('q=TICK')).processes.length, 2);
    assert.deepEqual((await get('q=web:web')).processes.map((p: any) => `${p.agent}/${p.namespec}`), ['web1/web', 'web2/web'], 'q finds the long form too');
    assert.deepEqual((await get('q=multi:multi_01')).processes.map((p: any) => p.namespec), ['multi:multi_01']);
    assert.equal((await get('state=STOPPED')).processes.length, 0);
    assert.deepEqual((await get('tag=us')).hosts, { online: 1, offline: 0, total: 1 });
  });

  it('delivers a state change on the live feed, filtered per client', async () => {
    const feed = await SseReader.open(`${hub.url}/api/v1/stream?host=web2&kind=hub-event`, bearer);
    const other = await SseReader.open(`${hub.url}/api/v1/stream?host=web1&kind=hub-event`, { cookie: admin.cookie });
    assert.equal(feed.status, 200);
    await web2.client.call('supervisor.stopProcess', ['web']);
    const stopped = await feed.waitFor((m) => m.event === 'hub-event' && m.data.process === 'web' && m.data.toState === 'STOPPED', 3000, 'web2 web STOPPED');
    assert.equal(stopped.data.agent, 'web2');
    assert.equal(stopped.id, String(stopped.data.id));
    assert.ok(other.messages.every((m) => m.data.agent === 'web1'));
    // A reconnect with Last-Event-ID replays what was missed, from the store.
    const before = Number(feed.messages.find((m) => m.data.toState === 'STOPPING')?.id ?? stopped.id) - 1;
    feed.close();
    other.close();
    const again = await SseReader.open(`${hub.url}/api/v1/stream?host=web2&kind=hub-event`, bearer, { 'last-event-id': String(before) });
    await again.waitFor((m) => m.id === stopped.id, 3000, 'the replayed STOPPED event');
    again.close();
    await web2.client.call('supervisor.startProcess', ['web']);
  });

  it('runs a rolling operation through the API and streams its progress', async () => {
    const feed = await SseReader.open(`${hub.url}/api/v1/stream?kind=operation`, bearer);
    const started = await api(hub.url, 'POST', '/api/v1/operations', { auth: bearer, body: { action: 'restart', selectors: ['web*/web'], mode: 'rolling', batch: 1 } });
    assert.equal(started.status, 202, started.text);
    assert.deepEqual(started.body.targets, [{ agent: 'web1', namespec: 'web' }, { agent: 'web2', namespec: 'web' }]);
    assert.equal(started.body.batches, 2);
    const progress = await SseReader.open(`${hub.url}/api/v1/operations/${started.body.id}/events`, bearer);
    await progress.untilEnded(15_000);
    assert.deepEqual(progress.messages.map((m) => m.event), ['batch', 'target', 'batch', 'target', 'done']);
    assert.deepEqual(progress.messages.filter((m) => m.event === 'target').map((m) => `${m.data.agent}/${m.data.namespec}:${m.data.status}`), ['web1/web:ok', 'web2/web:ok']);
    assert.equal(progress.messages.at(-1)!.data.status, 'succeeded');
    await feed.waitFor((m) => m.event === 'operation' && m.data.id === started.body.id && m.data.type === 'done', 3000, 'done on the live feed');
    feed.close();

    const record = await api(hub.url, 'GET', `/api/v1/operations/${started.body.id}`, { auth: bearer });
    assert.equal(record.body.status, 'succeeded');
    assert.equal(record.body.user, 'admin');
    assert.deepEqual(record.body.counts, { total: 2, ok: 2, failed: 0, skipped: 0 });
    assert.deepEqual(record.body.targets.map((r: any) => `${r.agent}/${r.process}/${r.result}`), ['web1/web/ok', 'web2/web/ok']);
    const list = await api(hub.url, 'GET', '/api/v1/operations', { auth: bearer });
    assert.equal(list.body[0].id, started.body.id);
    const cancel = await api(hub.url, 'POST', `/api/v1/operations/${started.body.id}/cancel`, { auth: bearer });
    assert.equal(cancel.status, 409);
    assert.equal((await api(hub.url, 'POST', '/api/v1/operations/99999/cancel', { auth: bearer })).status, 404);
    const bad = await api(hub.url, 'POST', '/api/v1/operations', { auth: bearer, body: { action: 'explode', selectors: ['web'] } });
    assert.equal(bad.status, 400);
  });

  it('cancels a running operation', async () => {
    const started = await api(hub.url, 'POST', '/api/v1/operations', {
      auth: bearer,
      body: { action: 'restart', selectors: ['*/ticker'], mode: 'rolling', batch: 1, pauseSeconds: 30 },
    });
    assert.equal(started.status, 202);
    const progress = await SseReader.open(`${hub.url}/api/v1/operations/${started.body.id}/events`, bearer);
    await progress.waitFor((m) => m.event === 'target', 10_000, 'the first target');
    assert.equal((await api(hub.url, 'POST', `/api/v1/operations/${started.body.id}/cancel`, { auth: bearer })).status, 202);
    const done = await progress.waitFor((m) => m.event === 'done', 5000, 'done');
    assert.equal(done.data.status, 'cancelled');
    assert.deepEqual(done.data.counts, { total: 2, ok: 1, failed: 0, skipped: 1 });
  });

  it('queries the history with filters and keyset pages', async () => {
    const page = async (query: string) => (await api(hub.url, 'GET', `/api/v1/events?${query}`, { auth: bearer })).body;
    const web2Events = await page('host=web2&type=PROCESS_STATE&process=web&order=asc&limit=1000');
    const states = web2Events.events.map((e: any) => e.toState);
    assert.ok(states.includes('STOPPED') && states.includes('RUNNING'), states.join(','));
    assert.ok(web2Events.events.every((e: any) => e.agent === 'web2' && e.process === 'web' && e.type.startsWith('PROCESS_STATE_')));
    const seen: number[] = [];
    let next: string | undefined;
    do {
      const part = await page(`host=web2&process=web&type=PROCESS_STATE&order=asc&limit=2${next ? `&after=${next}` : ''}`);
      seen.push(...part.events.map((e: any) => e.id));
      next = part.next;
    } while (next !== undefined);
    assert.deepEqual(seen, web2Events.events.map((e: any) => e.id));
    assert.equal((await page('state=STOPPED&host=web2')).events[0].toState, 'STOPPED');
    assert.equal((await page('since=1h&limit=1')).events.length, 1);
    const badTime = await api(hub.url, 'GET', '/api/v1/events?since=yesterday', { auth: bearer });
    assert.equal(badTime.status, 400);
    assert.equal(badTime.body.error.code, 'FV_STORE_BAD_INPUT');
    const summary = (await api(hub.url, 'GET', '/api/v1/summary?host=web2&process=web', { auth: bearer })).body;
    assert.equal(summary.rows.length, 1);
    assert.ok(summary.rows[0].starts >= 2);
    const fleet = (await api(hub.url, 'GET', '/api/v1/summary?process=web&by=fleet', { auth: bearer })).body;
    assert.deepEqual(fleet.rows[0].agents, ['web1', 'web2']);
    const flapping = (await api(hub.url, 'GET', '/api/v1/flapping', { auth: bearer })).body;
    assert.deepEqual(flapping, { count: 5, minutes: 10, processes: [] });
  });

  it('tails a log and streams it live from the agent', async () => {
    const tail = await api(hub.url, 'GET', '/api/v1/processes/web1/ticker/log?bytes=100000', { auth: bearer });
    assert.equal(tail.status, 200);
    assert.match(tail.body.data, /tick/);
    const stderr = await api(hub.url, 'GET', '/api/v1/processes/web1/ticker:ticker/log?channel=stderr', { auth: bearer });
    assert.match(stderr.body.data, /ticker-err/);
    const missing = await api(hub.url, 'GET', '/api/v1/processes/web1/nope/log', { auth: bearer });
    assert.equal(missing.status, 404);
    const stream = await SseReader.open(`${hub.url}/api/v1/processes/web1/ticker:ticker/log/stream`, bearer);
    assert.equal(stream.status, 200);
    const first = await stream.waitFor((m) => m.event === 'log', 3000, 'the first chunk');
    const count = stream.messages.length;
    await stream.waitFor((m) => m.event === 'log' && stream.messages.indexOf(m) >= count, 3000, 'a later chunk');
    assert.match(first.data.data, /tick/);
    stream.close();
    // The relay ends with the client: the agent's stream is closed and the slot given back.
    await eventually(async () => /^fleetvisor_log_streams 0$/m.test((await api(hub.url, 'GET', '/metrics', { auth: bearer })).text), 3000, 'the log relay released');
    const unknownAgent = await api(hub.url, 'GET', '/api/v1/processes/nohost/web/log/stream', { auth: bearer });
    assert.equal(unknownAgent.status, 404);
    // A path names a process in either form, and the answer names it as supervisorctl does.
    for (const [path, namespec] of [['web', 'web'], ['web:web', 'web'], ['multi:multi_00', 'multi:multi_00']]) {
      const stats = await api(hub.url, 'GET', `/api/v1/processes/web1/${encodeURIComponent(path)}/stats`, { auth: bearer });
      assert.equal(stats.status, 200, stats.text);
      assert.equal(stats.body.namespec, namespec, path);
      assert.ok(stats.body.rssBytes > 0);
    }
    const wholeGroup = await api(hub.url, 'GET', `/api/v1/processes/web1/${encodeURIComponent('multi:*')}/stats`, { auth: bearer });
    assert.equal(wholeGroup.status, 400, wholeGroup.text);
    const member = await api(hub.url, 'GET', `/api/v1/processes/web1/${encodeURIComponent('multi:multi_01')}/log`, { auth: bearer });
    assert.equal(member.status, 200, member.text);
  });

  it('adds, changes and removes an agent without ever answering its credentials', async () => {
    const sup = await startAgent('supervisord', PROGRAMS, 'username=hubuser\npassword=sup-secret-pw');
    try {
      const added = await api(hub.url, 'POST', '/api/v1/agents', { auth: bearer, body: { name: 'sup', url: sup.url, username: 'hubuser', password: 'sup-secret-pw', tags: ['lab'] } });
      assert.equal(added.status, 201, added.text);
      assert.equal(added.body.hasCredentials, true);
      assert.ok(!added.text.includes('sup-secret-pw') && !added.text.includes('hubuser'));
      const online = await eventually(async () => {
        const one = await api(hub.url, 'GET', '/api/v1/agents/sup', { auth: bearer });
        return one.body.health.state === 'online' ? one : undefined;
      }, 10_000, 'sup online');
      assert.equal(online.body.health.kind, 'supervisord');
      await eventually(async () => (await api(hub.url, 'GET', '/api/v1/processes?tag=lab', { auth: bearer })).body.processes.length === 2, 5000, 'sup processes');
      const stats = await api(hub.url, 'GET', '/api/v1/processes/sup/web/stats', { auth: bearer });
      assert.equal(stats.status, 409);
      assert.equal(stats.body.error.code, 'FV_API_UNSUPPORTED');
      assert.equal((await api(hub.url, 'POST', '/api/v1/agents', { auth: bearer, body: { name: 'sup', url: sup.url } })).status, 409);
      const badUrl = await api(hub.url, 'POST', '/api/v1/agents', { auth: bearer, body: { name: 'x', url: 'ftp://nowhere' } });
      assert.equal(badUrl.status, 400);

      const changed = await api(hub.url, 'PATCH', '/api/v1/agents/sup', { auth: bearer, body: { password: 'wrong-secret-pw' } });
      assert.equal(changed.status, 200, changed.text);
      await eventually(async () => (await api(hub.url, 'GET', '/api/v1/agents/sup', { auth: bearer })).body.health.state === 'auth_failed', 5000, 'auth_failed');
      const listed = await api(hub.url, 'GET', '/api/v1/agents', { auth: bearer });
      assert.deepEqual(listed.body.map((a: any) => `${a.name}:${a.source}`), ['sup:api', 'web1:config', 'web2:config']);
      for (const secret of ['sup-secret-pw', 'wrong-secret-pw', 'hubuser']) assert.ok(!listed.text.includes(secret), secret);

      const readOnly = await api(hub.url, 'PATCH', '/api/v1/agents/web1', { auth: bearer, body: { tags: ['x'] } });
      assert.equal(readOnly.status, 409);
      assert.equal((await api(hub.url, 'DELETE', '/api/v1/agents/web1', { auth: bearer })).status, 409);
      assert.equal((await api(hub.url, 'DELETE', '/api/v1/agents/sup', { auth: bearer })).status, 204);
      assert.equal((await api(hub.url, 'GET', '/api/v1/agents/sup', { auth: bearer })).status, 404);
      assert.equal((await api(hub.url, 'GET', '/api/v1/processes?host=sup', { auth: bearer })).body.processes.length, 0);
      assert.equal(hub.hub.fleet.has('sup'), false);
    } finally {
      await sup.dispose();
    }
  });

  it('announces every added, edited and removed agent on the live stream, to the clients whose filter it passes', async () => {
    const agentsOnly = await SseReader.open(`${hub.url}/api/v1/stream?kind=agent`, bearer);
    const canary = await SseReader.open(`${hub.url}/api/v1/stream?tag=canary`, { cookie: admin.cookie });
    const changes = (reader: SseReader): string[] => reader.messages.filter((m) => m.event === 'agent').map((m) => `${m.data.change}:${m.data.agent.tags.join(',')}`);
    try {
      const body = { name: 'lab9', url: 'http://hubuser:lab-secret-pw@127.0.0.1:1', username: 'hubuser', password: 'lab-secret-pw', tags: ['lab'] };
      assert.equal((await api(hub.url, 'POST', '/api/v1/agents', { auth: bearer, body })).status, 201);
      const added = await agentsOnly.waitFor((m) => m.data.change === 'added', 5000, 'the added agent');
      assert.deepEqual(added.data.agent, { ...(await api(hub.url, 'GET', '/api/v1/agents/lab9', { auth: bearer })).body, health: added.data.agent.health });
      assert.equal(added.data.agent.url, 'http://127.0.0.1:1');

      assert.equal((await api(hub.url, 'PATCH', '/api/v1/agents/lab9', { auth: bearer, body: { tags: ['lab', 'canary'], url: 'http://127.0.0.1:2' } })).status, 200);
      const updated = await agentsOnly.waitFor((m) => m.data.change === 'updated', 5000, 'the edited agent');
      assert.deepEqual([updated.data.agent.name, updated.data.agent.url, updated.data.agent.hasCredentials], ['lab9', 'http://127.0.0.1:2', true]);
      // Tagged canary only now: a client filtering on it hears of the edit that brings the host in, and of its removal.
      await canary.waitFor((m) => m.event === 'agent' && m.data.change === 'updated', 5000, 'the edit on the canary stream');
      assert.equal((await api(hub.url, 'PATCH', '/api/v1/agents/lab9', { auth: bearer, body: { tags: ['lab'] } })).status, 200);
      await canary.waitFor((m) => m.event === 'agent' && m.data.agent.tags.join() === 'lab', 5000, 'the edit that takes it out of the canary filter');

      assert.equal((await api(hub.url, 'DELETE', '/api/v1/agents/lab9', { auth: bearer })).status, 204);
      const removed = await agentsOnly.waitFor((m) => m.data.change === 'removed', 5000, 'the removed agent');
      assert.equal(removed.data.agent.name, 'lab9');
      // A canary host added and removed after it: what the canary client has by then is all it was sent about lab9.
      assert.equal((await api(hub.url, 'POST', '/api/v1/agents', { auth: bearer, body: { name: 'lab10', url: 'http://127.0.0.1:1', tags: ['canary'] } })).status, 201);
      assert.equal((await api(hub.url, 'DELETE', '/api/v1/agents/lab10', { auth: bearer })).status, 204);
      await canary.waitFor((m) => m.event === 'agent' && m.data.change === 'removed', 5000, 'the removal of lab10 on the canary stream');
      // lab9 was out of the canary filter when added and when removed.
      assert.deepEqual(changes(canary), ['updated:lab,canary', 'updated:lab', 'added:canary', 'removed:canary']);
      await agentsOnly.waitFor((m) => m.data.change === 'removed' && m.data.agent.name === 'lab10', 5000, 'the removal of lab10');
      assert.deepEqual(changes(agentsOnly), ['added:lab', 'updated:lab,canary', 'updated:lab', 'removed:lab', 'added:canary', 'removed:canary']);
      assert.ok(agentsOnly.messages.every((m) => m.event === 'agent'), 'kind=agent lets other messages through');
      for (const reader of [agentsOnly, canary]) {
        const text = JSON.stringify(reader.messages);
        for (const secret of ['lab-secret-pw', 'hubuser']) assert.ok(!text.includes(secret), `${secret} on the stream`);
      }
    } finally {
      agentsOnly.close();
      canary.close();
    }
  });

  it('words a refused agent for an API caller: the field, then what is wrong', async () => {
    const refused = async (body: unknown, method = 'POST', path = '/api/v1/agents'): Promise<string> => {
      const answer = await api(hub.url, method, path, { auth: bearer, body });
      assert.equal(answer.status, 400, answer.text);
      return answer.body.error.message;
    };
    assert.equal(await refused({ name: 'x', url: 'ftp://nowhere' }), "url: 'ftp://nowhere' is not http://, https:// or unix://");
    assert.equal(await refused({ name: 'x', url: 'unix://run/x.sock' }), "url: 'unix://run/x.sock' must be unix:// followed by an absolute path");
    assert.equal(await refused({ name: 'x', url: 'http://x:1', tags: ['not ok'] }), "tags: 'not ok' may hold only letters, digits and . _ : = -");
    assert.equal(await refused({ name: 'x', url: 'http://x:1', password: 'pw-only' }), 'username: password is set but username is not');
    assert.match(await refused({ name: 'bad name', url: 'http://x:1' }), /^name: agent name 'bad name' must be 1-128 letters/);
    assert.equal((await api(hub.url, 'GET', '/api/v1/agents/x', { auth: bearer })).status, 404);
  });

  it('exposes Prometheus metrics', async () => {
    const answer = await api(hub.url, 'GET', '/metrics', { auth: bearer });
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = answer.text;
    assert.match(text, /^fleetvisor_agent_up\{agent="web1"\} 1$/m);
    assert.match(text, /^fleetvisor_process_state\{agent="web2",group="web",process="web",state="RUNNING"\} 1$/m);
    const ingested = /^fleetvisor_events_ingested_total\{agent="web1"\} (\d+)$/m.exec(text);
    assert.ok(ingested && Number(ingested[1]) > 0, text);
    assert.match(text, /^fleetvisor_operations_total\{action="restart",status="succeeded"\} 1$/m);
    assert.match(text, /^fleetvisor_operations_total\{action="restart",status="cancelled"\} 1$/m);
    assert.match(text, /^# TYPE fleetvisor_events_ingested_total counter$/m);
    assert.equal((await api(hub.url, 'GET', '/metrics')).status, 401);
  });

  it('serves an OpenAPI document with every route of the contract (docs/hub-api.md)', async () => {
    const doc = (await api(hub.url, 'GET', '/api/v1/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const documented = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(methods)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        assert.ok(op.responses !== undefined && op['x-role'] !== undefined, `${method} ${path}`);
      }
    }
    const contract = readFileSync(join(REPO, 'docs', 'hub-api.md'), 'utf8');
    const routes = [...contract.matchAll(/`((?:GET|POST|PATCH|DELETE)(?:\/[A-Z]+)*) (\/[^`?\s]*)/g)].flatMap(([, methods, path]) =>
      methods.split('/').map((method) => `${method} ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    assert.ok(routes.length >= 30, `found ${routes.length} routes in the contract`);
    for (const route of routes) {
      // The web view's `GET /` is the catch-all page route.
      const served = route === 'GET /' ? 'GET /{path}' : route;
      assert.ok(documented.has(served), `${route} is in docs/hub-api.md but not served`);
    }
    // Every served route is documented with a schema for what it takes.
    assert.ok(doc.paths['/api/v1/events'].get.parameters.some((p: any) => p.name === 'host' && p.in === 'query'));
    assert.ok(doc.paths['/api/v1/agents'].post.requestBody.content['application/json'].schema.properties.url);
  });

  it('changes nothing on GET', async () => {
    const fingerprint = (): string =>
      JSON.stringify(
        ['SELECT name, role, password_hash FROM users', 'SELECT id, hash FROM tokens', 'SELECT * FROM agents', 'SELECT * FROM operations', 'SELECT * FROM operation_targets'].map((sql) =>
          hub.hub.store.db.prepare(sql).all(),
        ),
      );
    const doc = (await api(hub.url, 'GET', '/api/v1/openapi.json')).body;
    const operationId = (await api(hub.url, 'GET', '/api/v1/operations', { auth: bearer })).body[0].id;
    const values: Record<string, string> = { name: 'web1', agent: 'web1', namespec: 'web:web', id: String(operationId), path: 'index.html' };
    const before = fingerprint();
    const sessions = hub.hub.fleet.agents().length;
    let calls = 0;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      if (methods.get === undefined) continue;
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(values[name]));
      const streaming = methods.get.responses['200']?.content?.['text/event-stream'] !== undefined;
      if (streaming) {
        const reader = await SseReader.open(`${hub.url}${url}`, { cookie: admin.cookie });
        assert.equal(reader.status, 200, url);
        reader.close();
      } else {
        const answer = await api(hub.url, 'GET', url, { auth: { cookie: admin.cookie } });
        assert.ok(answer.status < 500, `${url}: ${answer.status} ${answer.text}`);
      }
      calls++;
    }
    assert.ok(calls >= 20, `${calls} GET routes`);
    assert.equal(fingerprint(), before);
    assert.equal(hub.hub.fleet.agents().length, sessions);
  });
});
