/**
 * fleetvisorctl's fleet mode end to end: the real CLI against a real hub
 * following two fleetvisord and one real supervisord on loopback.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closedPortUrl } from '../hub-fleet/agents.js';
import { ADMIN_PASSWORD, startFleetFixture, waitForOutput, type FleetFixture } from './fixture.js';

interface JsonProcess {
  agent: string;
  namespec: string;
  state: string;
  pid: number;
}

describe('fleetvisorctl fleet mode against a live hub', { timeout: 120_000 }, () => {
  let f: FleetFixture;
  let hub: string[];
  let env: Record<string, string>;
  const run = (args: readonly string[], options: Parameters<FleetFixture['ctl']>[1] = {}) => f.ctl([...hub, ...args], { ...options, env: { ...env, ...options.env } });
  const pidsOf = async (name: string): Promise<Map<string, number>> => {
    const result = await run(['--json', 'status', name]);
    const doc = JSON.parse(result.stdout) as { processes: JsonProcess[] };
    return new Map(doc.processes.map((p) => [p.agent, p.pid]));
  };

  before(async () => {
    f = await startFleetFixture();
    hub = ['--hub', f.hubUrl];
    env = { FLEETVISOR_TOKEN: f.adminToken };
  });
  after(async () => {
    await f?.stop();
  });

  it('status: one table across hosts, host first, sorted, with a summary line', async () => {
    const result = await run(['status']);
    assert.equal(result.code, 3, `a process is not RUNNING (crashy) → 3, like supervisorctl; stderr: ${result.stderr}`);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^HOST\s+PROCESS\s+STATE\s+DESCRIPTION$/);
    const rows = lines.slice(1, 13).map((line) => line.split(/\s+/));
    assert.deepEqual(rows.map((r) => `${r[0]}/${r[1]}`), ['alpha', 'beta', 'gamma'].flatMap((h) => ['chatty', 'crashy', 'web', 'worker'].map((p) => `${h}/${p}`)));
    assert.deepEqual(rows.map((r) => r[2]), Array.from({ length: 3 }, () => ['RUNNING', 'EXITED', 'RUNNING', 'RUNNING']).flat());
    assert.equal(lines.at(-1), '3 hosts: 3 online, 0 offline; 12 processes: 3 EXITED, 9 RUNNING');
  });

  it('status: selectors and filters; --json is one document', async () => {
    const tagged = await run(['--json', 'status', '@eu/web']);
    assert.equal(tagged.code, 0);
    const doc = JSON.parse(tagged.stdout) as { processes: JsonProcess[]; hosts: { online: number; total: number; offlineHosts: string[] }; states: Record<string, number> };
    assert.deepEqual(doc.processes.map((p) => `${p.agent}/${p.namespec}`), ['alpha/web', 'gamma/web']);
    assert.deepEqual(doc.hosts, { online: 2, offline: 0, total: 2, offlineHosts: [] });
    assert.deepEqual(doc.states, { RUNNING: 2 });
    assert.ok(doc.processes.every((p) => p.pid > 0));

    const filtered = await run(['status', '--state', 'running', '--host', 'b*', '--json']);
    assert.equal(filtered.code, 0);
    assert.deepEqual((JSON.parse(filtered.stdout) as { processes: JsonProcess[] }).processes.map((p) => p.namespec), ['chatty', 'web', 'worker']);

    // `worker` and `worker:worker` are one process, listed once and named as supervisorctl names it.
    const several = await run(['--json', 'status', 'gamma/worker', 'alpha/chatty:*', 'gamma/worker:worker']);
    assert.deepEqual((JSON.parse(several.stdout) as { processes: JsonProcess[] }).processes.map((p) => `${p.agent}/${p.namespec}`), ['alpha/chatty', 'gamma/worker']);

    const none = await run(['status', 'nosuchhost/web']);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /no process matches nosuchhost\/web/);
  });

  let beforeRestart = 0;
  it('restart --rolling --batch 1: progress lines in host order, new pids everywhere', async () => {
    const old = await pidsOf('web');
    beforeRestart = Date.now();
    const result = await run(['restart', '--rolling', '--batch', '1', 'web']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^operation \d+: restart 3 processes on 3 hosts, rolling in 3 batches$/);
    const steps = lines.slice(1, -1).map((line) => line.trim().split(/\s+/).slice(0, 3).join(' '));
    assert.deepEqual(steps.map((s) => s.replace(/ ok \S+$/, ' ok')), [
      'batch 1/3: alpha/web',
      'alpha/web ok',
      'batch 2/3: beta/web',
      'beta/web ok',
      'batch 3/3: gamma/web',
      'gamma/web ok',
    ]);
    assert.match(lines.at(-1)!, /^succeeded: 3 ok, 0 failed, 0 skipped in /);
    const now = await pidsOf('web');
    for (const host of ['alpha', 'beta', 'gamma']) assert.notEqual(now.get(host), old.get(host), `${host}'s web has a new pid`);
  });

  it('operations in JSON lines; a failed target makes the exit status non-zero', async () => {
    const result = await run(['--json', 'restart', '--batch', '1', '@prod/worker']);
    assert.equal(result.code, 0, result.stderr);
    const steps = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; agent?: string; index?: number; status?: string; targets?: unknown });
    assert.deepEqual(steps.map((s) => `${s.type}${s.agent ? ` ${s.agent}` : ''}${s.index ? ` ${s.index}` : ''}`), ['started', 'batch 1', 'target alpha', 'batch 2', 'target beta', 'done']);
    assert.deepEqual(steps[0].targets, [{ agent: 'alpha', namespec: 'worker' }, { agent: 'beta', namespec: 'worker' }]);
    assert.equal(steps.at(-1)!.status, 'succeeded');

    // crashy exits after half a second: it cannot stay RUNNING for the 2 s --wait asks.
    const failing = await run(['start', '--wait', '2', 'alpha/crashy']);
    assert.equal(failing.code, 1, failing.stdout);
    assert.match(failing.stdout, /alpha\/crashy\s+failed/);
    assert.match(failing.stdout, /^failed: 0 ok, 1 failed, 0 skipped/m);
  });

  it('history filtered by host and time', async () => {
    const since = new Date(beforeRestart).toISOString();
    const text = await run(['history', '--host', 'beta', '--since', since, '--process', 'web']);
    assert.equal(text.code, 0, text.stderr);
    const rows = text.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/));
    assert.ok(rows.length >= 4, text.stdout);
    assert.ok(rows.every((r) => r[2] === 'beta' && r[3] === 'web'), text.stdout);
    assert.deepEqual(rows.map((r) => r[4]), ['STOPPING', 'STOPPED', 'STARTING', 'RUNNING']);

    const json = await run(['--json', 'history', '--host', 'beta', '--since', since]);
    const doc = JSON.parse(json.stdout) as { events: { agent: string; time: number; process?: string; type: string }[] };
    assert.ok(doc.events.length >= 8, 'web and worker were restarted on beta');
    assert.ok(doc.events.every((e) => e.agent === 'beta' && e.time >= beforeRestart));
    const times = doc.events.map((e) => e.time);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
    assert.ok(!doc.events.some((e) => e.process === 'crashy'), 'crashy on beta crashed before the window');

    const earlier = await run(['--json', 'history', '--host', 'beta', '--until', since, '--type', 'RUNNING']);
    const older = (JSON.parse(earlier.stdout) as { events: { time: number; type: string }[] }).events;
    assert.ok(older.length > 0 && older.every((e) => e.time <= beforeRestart && e.type === 'PROCESS_STATE_RUNNING'));
  });

  it('summary, flapping and crash (with its saved log lines)', async () => {
    const summary = JSON.parse((await run(['--json', 'summary', '--host', 'alpha'])).stdout) as { rows: { agent: string; process: string; starts: number; unexpectedExits: number; uptimePct: number | null }[] };
    const crashy = summary.rows.find((r) => r.process === 'crashy');
    assert.ok(crashy !== undefined && crashy.unexpectedExits >= 1, JSON.stringify(summary));
    assert.ok(summary.rows.every((r) => r.agent === 'alpha'));
    const web = summary.rows.find((r) => r.process === 'web')!;
    assert.ok(web.starts >= 2, 'started, then restarted');

    const flapping = JSON.parse((await run(['--json', 'flapping'])).stdout) as { count: number; processes: unknown[] };
    assert.ok(flapping.count >= 1);
    assert.deepEqual(flapping.processes, []);

    const crash = await run(['crash', 'beta/crashy']);
    assert.equal(crash.code, 0, crash.stderr);
    assert.match(crash.stdout, /^== .* beta\/crashy EXITED .*exit 3, unexpected/m);
    assert.match(crash.stdout, /-- last stdout lines --\ncrashy starting/);
    assert.match(crash.stdout, /-- last stderr lines --\ncrashy: cannot open database/);
  });

  const followTail = async (target: string): Promise<void> => {
    const child = await f.spawnCtl([...hub, 'tail', '-f', target, 'stderr'], env);
    try {
      const first = await waitForOutput(child, /chatty warning (\d+)\n/);
      const n = Math.max(...[...first.matchAll(/chatty warning (\d+)\n/g)].map((m) => Number(m[1])));
      const later = await waitForOutput(child, new RegExp(`chatty warning ${n + 2}\\n`), 8000);
      assert.doesNotMatch(later, /chatty line/, 'stderr only');
    } finally {
      child.kill('SIGINT');
    }
  };

  it('tail -f of a remote process, live through the hub', async () => {
    await followTail('alpha/chatty');
    const json = await run(['--json', 'tail', '--bytes', '200', 'gamma/chatty']);
    const doc = JSON.parse(json.stdout) as { data: string; offset: number; overflow: boolean };
    assert.match(doc.data, /chatty line \d+\n$/);
    assert.ok(doc.offset > 0);
  });

  it('tail -f of a process on a plain supervisord', async () => {
    await followTail('gamma/chatty');
  });

  it('events -f follows the live stream (JSON lines)', async () => {
    const child = await f.spawnCtl([...hub, '--json', 'events', '-f', '--host', 'gamma', '--process', 'worker'], env);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stopped = await run(['stop', 'gamma/worker']);
      assert.equal(stopped.code, 0, stopped.stderr);
      const text = await waitForOutput(child, /"toState":"STOPPED"/, 8000);
      const events = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { agent: string; process: string; toState: string });
      assert.ok(events.every((e) => e.agent === 'gamma' && e.process === 'worker'), text);
    } finally {
      child.kill('SIGINT');
      await run(['start', 'gamma/worker']);
    }
  });

  it('Ctrl-C cancels a running operation on the hub', async () => {
    const child = await f.spawnCtl([...hub, 'restart', '--batch', '1', '--wait', '3', 'worker'], env);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    await waitForOutput(child, /batch 1\/3/);
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => (rest += chunk.toString()));
    child.kill('SIGINT');
    const code = await closed;
    assert.equal(code, 1);
    assert.match(stderr, /cancelling operation \d+/);
    assert.match(rest, /^cancelled: \d ok, \d failed, [12] skipped/m);
    assert.match(rest, /gamma\/worker\s+skipped/);
  });

  it('hosts: health, kind, version; add and remove', async () => {
    const listed = JSON.parse((await run(['--json', 'hosts'])).stdout) as { name: string; tags: string[]; health: { state: string; kind: string; version?: string; latencyMs?: number } }[];
    assert.deepEqual(listed.map((a) => `${a.name} ${a.health.state} ${a.health.kind}`), ['alpha online fleetvisord', 'beta online fleetvisord', 'gamma online supervisord']);
    assert.equal(listed[2].health.version, '4.2.5');
    const text = await run(['hosts']);
    assert.match(text.stdout, /^gamma\s+online\s+supervisord\s+4\.2\.5\s+\d+ms\s+\d+s ago\s+eu\s+unix:\/\//m);

    const added = await run(['hosts', 'add', 'delta', `unix://${join(f.dir, 'no-such.sock')}`, '--tag', 'lab,edge']);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^added delta \(unix:\/\/.*no-such\.sock\) tags lab, edge$/m);
    const withDelta = JSON.parse((await run(['--json', 'hosts'])).stdout) as { name: string; source: string }[];
    assert.equal(withDelta.find((a) => a.name === 'delta')?.source, 'api');
    const removed = await run(['hosts', 'remove', 'delta']);
    assert.equal(removed.code, 0, removed.stderr);
    const again = await run(['hosts', 'remove', 'delta']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^Error: .*delta/);
  });

  it('login stores an API token (0600) and fleet mode then needs no --hub', async () => {
    const config = join(f.home, '.config', 'fleetvisor', 'fleetvisorctl.ini');
    const result = await f.ctl(['login', f.hubUrl], { input: `admin\n${ADMIN_PASSWORD}\n` });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /logged in to .* as admin \(admin\); API token stored in/);
    assert.equal(statSync(config).mode & 0o777, 0o600);
    const text = readFileSync(config, 'utf8');
    assert.match(text, new RegExp(`^hub = ${f.hubUrl.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(text, /^token = \S+$/m);

    const status = await f.ctl(['--json', 'status', 'alpha/web']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { processes: unknown[] }).processes.length, 1);
    // An explicit -s still means the single-agent mode.
    const single = await f.ctl(['-s', `unix://${join(f.agents.get('alpha')!.dir, 'sock')}`, 'status', 'web']);
    assert.match(single.stdout, /^web\s+RUNNING/);
  });

  it('errors go to stderr with a non-zero status (text and --json)', async () => {
    const badToken = await run(['status'], { env: { FLEETVISOR_TOKEN: 'not-a-token' } });
    assert.equal(badToken.code, 1);
    assert.equal(badToken.stdout, '');
    assert.match(badToken.stderr, /refused the token/);

    const json = await run(['--json', 'start', 'nosuchprogram'], {});
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
    assert.equal((JSON.parse(json.stderr) as { error: { code: string } }).error.code, 'FV_OPS_NO_MATCH');

    const usage = await run(['restart']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /restart: name at least one SELECTOR/);

    const nowhere = await closedPortUrl();
    const unreachable = await f.ctl(['--hub', nowhere, 'hosts']);
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.stderr, `Error: cannot reach the hub at ${nowhere}: ECONNREFUSED\n`);
  });
});
