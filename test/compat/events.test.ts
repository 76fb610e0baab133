/**
 * Differential event check (issue 3, compat spec §4 and §10 items 39–40): the
 * same config and the same actions on supervisord and fleetvisord give a
 * childutils listener the same sequence of event names and payloads, once
 * pids, tick times and serial numbers are normalised away.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { daemonKinds, PYTHON, startDaemon, type Daemon, type DaemonKind } from '../helpers/daemon.js';

const LISTENER = fileURLToPath(new URL('./listeners/record_events.py', import.meta.url));

const CAPTURE_OUTPUT = '<!--XSUPERVISOR:BEGIN-->hello capture<!--XSUPERVISOR:END-->';

const PROGRAMS = `[program:sleeper]
command=/bin/sleep 1000
priority=10

[program:oops]
command=sh -c "sleep 2; exit 4"
autostart=false
autorestart=false
priority=20

[program:cap]
command=sh -c 'printf "${CAPTURE_OUTPUT}\\\\n"; exec sleep 1000'
stdout_capture_maxbytes=1KB
stdout_events_enabled=true
autostart=false
priority=30
`;

const EVENTS_CONF = `[eventlistener:lst]
command=${PYTHON} ${LISTENER} {dir}/events.jsonl
events=PROCESS_STATE,PROCESS_GROUP,REMOTE_COMMUNICATION,PROCESS_COMMUNICATION,PROCESS_LOG,TICK_5
buffer_size=100
priority=1

${PROGRAMS}`;

/** After reread+update: `oops` removed, `added` added. */
const EVENTS_CONF_UPDATED = EVENTS_CONF.replace(/\[program:oops\][^[]*/, '') + `
[program:added]
command=/bin/sleep 1000
autostart=false
priority=40
`;

interface Recorded {
  line: string;
  headers: Record<string, string>;
  payload: string;
}

function recorded(d: Daemon): Recorded[] {
  let text = '';
  try {
    text = readFileSync(join(d.dir, 'events.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Recorded);
}

/** Event name and payload, with what legitimately varies (pids, tick times) replaced. */
function normalized(event: Recorded): string {
  const payload = event.payload.replace(/\bpid:\d+/g, 'pid:PID').replace(/^when:\d+$/, 'when:WHEN');
  return `${event.headers.eventname} ${JSON.stringify(payload)}`;
}

function withoutTicks(events: readonly Recorded[]): Recorded[] {
  return events.filter((e) => !e.headers.eventname.startsWith('TICK_'));
}

/** Resolves once the listener has recorded an event matching `wanted` (name, payload substring). */
async function waitForEvent(d: Daemon, eventname: string, payloadPart = '', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = recorded(d);
    if (events.some((e) => e.headers.eventname === eventname && e.payload.includes(payloadPart))) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${d.kind}: no ${eventname} containing ${JSON.stringify(payloadPart)} within ${timeoutMs} ms; got:\n` +
          events.map(normalized).join('\n'),
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Outcome {
  /** Every envelope the listener received before the reload. */
  beforeReload: Recorded[];
  /** From the first envelope of the restarted listener on. */
  afterReload: Recorded[];
}

/**
 * Drives one daemon through the scenario. Envelopes sent while the reload
 * stops everything depend on timing (supervisord kills the listener before
 * it sees some of them), so they are in neither part of the outcome.
 */
async function runScenario(d: Daemon): Promise<Outcome> {
  // boot: the listener sees its own group and state changes, then sleeper's
  await d.waitForStates({ lst: 'RUNNING', sleeper: 'RUNNING' });
  await waitForEvent(d, 'PROCESS_STATE_RUNNING', 'processname:sleeper ');

  // stop/start through supervisorctl
  assert.equal((await d.ctl(['stop', 'sleeper'])).stdout, 'sleeper: stopped\n');
  await waitForEvent(d, 'PROCESS_STATE_STOPPED', 'processname:sleeper ');
  assert.equal((await d.ctl(['start', 'sleeper'])).stdout, 'sleeper: started\n');
  await waitForCount(d, 'processname:sleeper groupname:sleeper from_state:STARTING', 2);

  // a program exiting with an unexpected code
  assert.equal((await d.ctl(['start', 'oops'])).stdout, 'oops: started\n');
  await waitForEvent(d, 'PROCESS_STATE_EXITED', 'processname:oops ');

  // a remote communication event, one plain and one with non-ASCII characters
  assert.equal(await d.rpc('supervisor.sendRemoteCommEvent', ['mytype', 'hello world']), true);
  await waitForEvent(d, 'REMOTE_COMMUNICATION', 'hello world');
  assert.equal(await d.rpc('supervisor.sendRemoteCommEvent', ['ütype', 'héllo wörld']), true);
  await waitForEvent(d, 'REMOTE_COMMUNICATION', 'héllo wörld');

  // capture mode: PROCESS_LOG for the captured chunk and PROCESS_COMMUNICATION at the end token
  assert.equal((await d.ctl(['start', 'cap'])).stdout, 'cap: started\n');
  await waitForEvent(d, 'PROCESS_COMMUNICATION_STDOUT', 'hello capture');
  await waitForEvent(d, 'PROCESS_STATE_RUNNING', 'processname:cap ');

  // reread + update: a group removed and a group added
  d.rewriteConf(EVENTS_CONF_UPDATED);
  assert.equal((await d.ctl(['reread'])).stdout, 'added: available\noops: disappeared\n');
  assert.equal((await d.ctl(['update'])).stdout, 'oops: stopped\noops: removed process group\nadded: added process group\n');
  await waitForEvent(d, 'PROCESS_GROUP_ADDED', 'groupname:added');

  // at least one tick
  await waitForEvent(d, 'TICK_5', '', 8_000);
  const beforeReload = recorded(d);

  // reload: the listener is restarted, pool serials start again, the global serial goes on
  assert.equal((await d.ctl(['reload'])).stdout, 'Restarted supervisord\n');
  await waitForCount(d, 'processname:lst groupname:lst from_state:STOPPED tries:0', 2);
  const all = recorded(d);
  const restart = all.findIndex((e, i) => i > 0 && e.payload === 'groupname:lst\n');
  return { beforeReload, afterReload: all.slice(restart) };
}

/** Resolves once `count` recorded payloads start with `payloadStart`. */
async function waitForCount(d: Daemon, payloadStart: string, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (recorded(d).filter((e) => e.payload.startsWith(payloadStart)).length < count) {
    if (Date.now() > deadline) {
      throw new Error(`${d.kind}: fewer than ${count} × ${payloadStart}; events:\n${recorded(d).map(normalized).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the scenario must produce, in order, on either daemon (ticks left out: they come at clock times). */
const EXPECTED_SEQUENCE = [
  'PROCESS_GROUP_ADDED "groupname:lst\\n"',
  'PROCESS_GROUP_ADDED "groupname:sleeper\\n"',
  'PROCESS_GROUP_ADDED "groupname:oops\\n"',
  'PROCESS_GROUP_ADDED "groupname:cap\\n"',
  'PROCESS_STATE_STARTING "processname:lst groupname:lst from_state:STOPPED tries:0"',
  'PROCESS_STATE_STARTING "processname:sleeper groupname:sleeper from_state:STOPPED tries:0"',
  'PROCESS_STATE_RUNNING "processname:lst groupname:lst from_state:STARTING pid:PID"',
  'PROCESS_STATE_RUNNING "processname:sleeper groupname:sleeper from_state:STARTING pid:PID"',
  'PROCESS_STATE_STOPPING "processname:sleeper groupname:sleeper from_state:RUNNING pid:PID"',
  'PROCESS_STATE_STOPPED "processname:sleeper groupname:sleeper from_state:STOPPING pid:PID"',
  'PROCESS_STATE_STARTING "processname:sleeper groupname:sleeper from_state:STOPPED tries:0"',
  'PROCESS_STATE_RUNNING "processname:sleeper groupname:sleeper from_state:STARTING pid:PID"',
  'PROCESS_STATE_STARTING "processname:oops groupname:oops from_state:STOPPED tries:0"',
  'PROCESS_STATE_RUNNING "processname:oops groupname:oops from_state:STARTING pid:PID"',
  'PROCESS_STATE_EXITED "processname:oops groupname:oops from_state:RUNNING expected:0 pid:PID"',
  'REMOTE_COMMUNICATION "type:mytype\\nhello world"',
  'REMOTE_COMMUNICATION "type:ütype\\nhéllo wörld"',
  'PROCESS_STATE_STARTING "processname:cap groupname:cap from_state:STOPPED tries:0"',
  'PROCESS_LOG_STDOUT "processname:cap groupname:cap pid:PID channel:stdout\\nhello capture"',
  'PROCESS_COMMUNICATION_STDOUT "processname:cap groupname:cap pid:PID\\nhello capture"',
  'PROCESS_STATE_RUNNING "processname:cap groupname:cap from_state:STARTING pid:PID"',
  'PROCESS_GROUP_REMOVED "groupname:oops\\n"',
  'PROCESS_GROUP_ADDED "groupname:added\\n"',
];

const kinds = daemonKinds();
const sequences = new Map<DaemonKind, Recorded[]>();
const reloads = new Map<DaemonKind, Recorded[]>();
const failures = new Map<DaemonKind, unknown>();

describe('events: a childutils listener sees the same events from each daemon', () => {
  const daemons: Daemon[] = [];
  before(async () => {
    // The daemons run side by side: the scenario mostly waits (startsecs, the exit, a tick).
    await Promise.all(
      kinds.map(async (kind) => {
        try {
          const d = await startDaemon(kind, EVENTS_CONF);
          daemons.push(d);
          const outcome = await runScenario(d);
          sequences.set(kind, outcome.beforeReload);
          reloads.set(kind, outcome.afterReload);
        } catch (err) {
          failures.set(kind, err);
        }
      }),
    );
  });
  after(() => Promise.all(daemons.map((d) => d.stop())));

  for (const kind of kinds) {
    describe(kind, () => {
      test('the scenario ran', () => {
        const failure = failures.get(kind);
        if (failure !== undefined) throw failure;
        assert.ok(sequences.has(kind));
      });

      test('the event names and payloads arrive in the expected order', () => {
        const events = sequences.get(kind);
        assert.ok(events, 'scenario did not run');
        assert.deepEqual(withoutTicks(events).map(normalized), EXPECTED_SEQUENCE);
      });

      test('serials count every accepted event from 0, poolserials likewise for the one pool', () => {
        const events = sequences.get(kind);
        assert.ok(events, 'scenario did not run');
        assert.deepEqual(
          events.map((e) => [e.headers.serial, e.headers.poolserial]),
          events.map((_, i) => [String(i), String(i)]),
        );
      });

      test('envelopes have the exact supervisord header layout (items 39, 40: len counts characters)', () => {
        const events = sequences.get(kind);
        assert.ok(events, 'scenario did not run');
        for (const e of events) {
          assert.equal(
            e.line,
            `ver:3.0 server:supervisor serial:${e.headers.serial} pool:lst poolserial:${e.headers.poolserial} ` +
              `eventname:${e.headers.eventname} len:${[...e.payload].length}\n`,
          );
        }
        const starting = events.find((e) => e.payload === 'processname:sleeper groupname:sleeper from_state:STOPPED tries:0');
        assert.match(
          starting?.line ?? '',
          /^ver:3\.0 server:supervisor serial:\d+ pool:lst poolserial:\d+ eventname:PROCESS_STATE_STARTING len:64\n$/,
        );
        const remote = events.filter((e) => e.headers.eventname === 'REMOTE_COMMUNICATION');
        assert.deepEqual(
          remote.map((e) => [e.headers.len, e.payload]),
          [
            ['23', 'type:mytype\nhello world'],
            ['22', 'type:ütype\nhéllo wörld'],
          ],
        );
      });

      test('after a reload pool serials restart from 0 and the global serial goes on (quirk 7)', () => {
        const before = sequences.get(kind);
        const afterReload = reloads.get(kind);
        assert.ok(before && afterReload, 'scenario did not run');
        const lastBefore = Math.max(...before.map((e) => Number(e.headers.serial)));
        const first = afterReload[0];
        assert.equal(first.headers.poolserial, '0');
        assert.equal(first.headers.eventname, 'PROCESS_GROUP_ADDED');
        assert.ok(Number(first.headers.serial) > lastBefore, `${first.headers.serial} after ${lastBefore}`);
        const poolSerials = afterReload.map((e) => Number(e.headers.poolserial));
        assert.deepEqual(poolSerials, poolSerials.map((_, i) => i));
        const serials = afterReload.map((e) => Number(e.headers.serial));
        assert.deepEqual(serials, serials.map((_, i) => serials[0] + i));
        assert.deepEqual(withoutTicks(afterReload).slice(0, 5).map(normalized), [
          'PROCESS_GROUP_ADDED "groupname:lst\\n"',
          'PROCESS_GROUP_ADDED "groupname:sleeper\\n"',
          'PROCESS_GROUP_ADDED "groupname:cap\\n"',
          'PROCESS_GROUP_ADDED "groupname:added\\n"',
          'PROCESS_STATE_STARTING "processname:lst groupname:lst from_state:STOPPED tries:0"',
        ]);
      });

      test('TICK_5 carries the time floored to a multiple of 5 s', () => {
        const events = sequences.get(kind);
        assert.ok(events, 'scenario did not run');
        const ticks = events.filter((e) => e.headers.eventname.startsWith('TICK_'));
        assert.ok(ticks.length >= 1, 'no tick');
        for (const tick of ticks) {
          assert.equal(tick.headers.eventname, 'TICK_5');
          const when = Number(/^when:(\d+)$/.exec(tick.payload)?.[1]);
          assert.equal(when % 5, 0, tick.payload);
          assert.ok(Math.abs(when - Date.now() / 1000) < 120, tick.payload);
        }
      });
    });
  }

  test('both daemons give the same normalised sequence', { skip: kinds.length < 2 && 'only one daemon kind' }, () => {
    const [a, b] = kinds.map((k) => sequences.get(k));
    assert.ok(a && b, 'a scenario did not run');
    assert.deepEqual(withoutTicks(b).map(normalized), withoutTicks(a).map(normalized));
  });
});
