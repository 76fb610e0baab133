/**
 * Every supervisor.* and system.* method through Python's xmlrpc.client (the
 * client supervisorctl uses), via rpc_probe.py. Each daemon's answers become
 * one JSON document; fleetvisord's must equal supervisord's, and both must
 * meet the literal expectations of compat spec §10 items 27–34.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { daemonKinds, PYTHON, runCommand, startDaemon, within, type DaemonKind } from '../helpers/daemon.js';
import { FIXTURE_CONF, FIXTURE_FILES, FIXTURE_SETTLED } from './fixture.js';

const PROBE = join(dirname(fileURLToPath(import.meta.url)), 'rpc_probe.py');
const PROBE_CONF = `${FIXTURE_CONF}
[program:talker]
command=sh -c "echo started; exec sleep 1000"

; Ignores SIGTERM, so a shutdown lasts stopwaitsecs: the probe's calls
; "during shutdown" then reach a daemon that is still answering.
[program:stubborn]
command=sh -c "trap '' TERM; exec sleep 1000"
autostart=false
startsecs=0
stopwaitsecs=2
`;

interface ProbeEntry {
  method: string;
  args: unknown[];
  shape?: unknown;
  value?: unknown;
  fault?: { code: number; string: string };
  error?: string;
}

interface ProbeRun {
  entries: ProbeEntry[];
  exitedAfterShutdown: boolean;
  leftovers: string[];
}

async function runProbe(kind: DaemonKind): Promise<ProbeRun> {
  const daemon = await startDaemon(kind, PROBE_CONF, { files: FIXTURE_FILES });
  try {
    await daemon.waitForStates({ ...FIXTURE_SETTLED, talker: 'RUNNING' }, 20_000);
    const result = await runCommand(PYTHON, [PROBE, daemon.sock, daemon.dir], { timeoutMs: 90_000 });
    assert.equal(result.code, 0, `rpc_probe.py failed:\n${result.stderr}`);
    const exited = await within(daemon.exited.then(() => true), 15_000, false);
    const leftovers = ['sock', 'supervisord.pid'].filter((f) => existsSync(join(daemon.dir, f)));
    return { entries: JSON.parse(result.stdout) as ProbeEntry[], exitedAfterShutdown: exited, leftovers };
  } finally {
    await daemon.stop();
  }
}

function find(entries: readonly ProbeEntry[], method: string, args: unknown[]): ProbeEntry {
  const entry = entries.find((e) => e.method === method && JSON.stringify(e.args) === JSON.stringify(args));
  assert.ok(entry, `no probe entry for ${method}${JSON.stringify(args)}`);
  return entry;
}

function expectValue(entries: readonly ProbeEntry[], method: string, args: unknown[], value: unknown): void {
  assert.deepEqual(find(entries, method, args), { method, args, value });
}

function expectFault(entries: readonly ProbeEntry[], method: string, args: unknown[], code: number, text: string): void {
  assert.deepEqual(find(entries, method, args), { method, args, fault: { code, string: text } });
}

const PROCESS_INFO_SHAPE = {
  description: 'str',
  exitstatus: 'int',
  group: 'str',
  logfile: 'str',
  name: 'str',
  now: 'int',
  pid: 'int',
  spawnerr: 'str',
  start: 'int',
  state: 'int',
  statename: 'str',
  stderr_logfile: 'str',
  stdout_logfile: 'str',
  stop: 'int',
};

/** Literal expectations any compatible daemon's document must meet. */
function checkLiterals(entries: readonly ProbeEntry[]): void {
  assert.ok(!entries.some((e) => e.error), `transport errors: ${JSON.stringify(entries.filter((e) => e.error))}`);
  // item 27
  for (const name of ['multi', 'multi:*', 'manual']) {
    expectFault(entries, 'supervisor.getProcessInfo', [name], 10, `BAD_NAME: ${name}`);
  }
  assert.deepEqual(find(entries, 'supervisor.getProcessInfo', ['sleeper']).shape, PROCESS_INFO_SHAPE);
  // item 28
  expectValue(entries, 'supervisor.getState', [], { statecode: 1, statename: 'RUNNING' });
  expectFault(entries, 'supervisor.getState', [1], 2, 'INCORRECT_PARAMETERS');
  // item 29
  for (const method of ['a.b.c', 'supervisor._update', 'supervisor.nosuch']) {
    expectFault(entries, method, [], 1, 'UNKNOWN_METHOD');
  }
  // item 30
  const multicall = find(entries, 'system.multicall', [
    [
      { methodName: 'supervisor.getState', params: [] },
      { methodName: 'system.multicall', params: [] },
      { params: [] },
      { methodName: 'supervisor.nosuch', params: [] },
      { methodName: 'supervisor.getProcessInfo', params: ['nosuch'] },
      { methodName: 'supervisor.getAPIVersion', params: [] },
    ],
  ]);
  assert.deepEqual(multicall.value, [
    { statecode: 1, statename: 'RUNNING' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
    { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
    { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
    { faultCode: 10, faultString: 'BAD_NAME: nosuch' },
    '3.0',
  ]);
  // item 31
  expectValue(entries, 'system.methodSignature', ['supervisor.startProcess'], ['boolean', 'string', 'boolean']);
  expectFault(entries, 'system.methodHelp', ['x'], 4, 'SIGNATURE_UNSUPPORTED');
  // item 32
  expectValue(entries, 'supervisor.tailProcessStdoutLog', ['talker', 0, 3], ['ed\n', 8, true]);
  expectValue(entries, 'supervisor.tailProcessLog', ['talker', 5, 3], ['ed\n', 8, false]);
  expectFault(entries, 'supervisor.readProcessStdoutLog', ['talker', -3, 2], 3, 'BAD_ARGUMENTS');
  expectValue(entries, 'supervisor.readProcessStdoutLog', ['talker', 1, 3], 'tar');
  // item 33
  expectFault(entries, 'supervisor.signalProcess', ['grp:manual', 'FOO'], 11, 'BAD_SIGNAL: FOO');
  expectValue(entries, 'supervisor.signalProcessGroup', ['grp', 'FOO'], [
    { name: 'manual', group: 'grp', status: 11, description: 'BAD_SIGNAL: FOO' },
  ]);
  // item 34
  expectFault(entries, 'supervisor.sendProcessStdin', ['notfound', 'x'], 70, 'NOT_RUNNING: notfound');
  expectFault(entries, 'supervisor.sendProcessStdin', ['talker', 5], 2, 'INCORRECT_PARAMETERS: 5');
  // a few more anchors
  expectValue(entries, 'supervisor.getSupervisorVersion', [], '4.2.5');
  expectValue(entries, 'supervisor.getAPIVersion', [], '3.0');
  expectValue(entries, 'supervisor.reloadConfig', [], [[[], [], []]]);
  // after supervisor.shutdown: only sendRemoteCommEvent is still allowed
  assert.deepEqual(entries.slice(-3), [
    { method: 'supervisor.shutdown', args: [], value: true },
    { method: 'supervisor.getState', args: [], fault: { code: 6, string: 'SHUTDOWN_STATE' } },
    { method: 'supervisor.sendRemoteCommEvent', args: ['late', 'during shutdown'], value: true },
  ]);
  const methods = find(entries, 'system.listMethods', []).value as string[];
  assert.equal(methods.length, 41, methods.join(' '));
  for (const method of methods) {
    assert.ok(find(entries, 'system.methodSignature', [method]).value, `methodSignature(${method})`);
  }
}

/** Entries keyed by call (method, args, occurrence), so one extra or missing call does not shift the rest. */
function byCall(entries: readonly ProbeEntry[]): Map<string, string> {
  const keyed = new Map<string, string>();
  for (const entry of entries) {
    const base = `${entry.method}(${JSON.stringify(entry.args)})`;
    let key = base;
    for (let n = 2; keyed.has(key); n++) key = `${base} #${n}`;
    keyed.set(key, JSON.stringify({ ...entry, method: undefined, args: undefined }));
  }
  return keyed;
}

/** Every call whose answer differs between the two documents, as readable lines. */
function differences(reference: readonly ProbeEntry[], actual: readonly ProbeEntry[]): string[] {
  const want = byCall(reference);
  const got = byCall(actual);
  const lines: string[] = [];
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    if (want.get(key) !== got.get(key)) {
      lines.push(`${key}\n  supervisord: ${want.get(key) ?? '(not called)'}\n  fleetvisord: ${got.get(key) ?? '(not called)'}`);
    }
  }
  return lines;
}

describe('XML-RPC through python xmlrpc.client', () => {
  const kinds = daemonKinds();
  const runs = new Map<DaemonKind, ProbeRun>();

  for (const kind of kinds) {
    test(`${kind}: every method answers, literal expectations hold (items 27-34)`, async () => {
      const run = await runProbe(kind);
      runs.set(kind, run);
      checkLiterals(run.entries);
    });

    test(`${kind}: supervisor.shutdown exits and removes socket and pidfile (item 41)`, () => {
      const run = runs.get(kind);
      assert.ok(run, 'probe did not run');
      assert.equal(run.exitedAfterShutdown, true, 'daemon still running 15 s after supervisor.shutdown');
      assert.deepEqual(run.leftovers, []);
    });
  }

  test('fleetvisord answers every call exactly like supervisord', (t) => {
    if (!kinds.includes('fleetvisord') || !kinds.includes('supervisord')) {
      t.skip('fleetvisord not built yet');
      return;
    }
    const reference = runs.get('supervisord');
    const actual = runs.get('fleetvisord');
    assert.ok(reference && actual, 'a probe did not run');
    const diff = differences(reference.entries, actual.entries);
    assert.equal(diff.length, 0, `${diff.length} differing answers:\n${diff.join('\n')}`);
  });
});
