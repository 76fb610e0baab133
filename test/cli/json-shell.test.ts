/**
 * fleetvisorctl's own additions: --json documents (cli/README.md), and the
 * shell's prompt, history file and `status` on entry.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { bothClients, fleetvisorctl, fleetvisorctlCommand } from './harness.js';

const CONF = `[program:web]
command=sh -c "echo ready; exec sleep 1000"
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false

[program:worker]
command=/bin/sleep 1000
numprocs=2
process_name=worker_%(process_num)d
startsecs=0

[supervisorctl]
serverurl=unix://{dir}/sock
prompt=fleet
history_file={dir}/history
`;

async function json(d: Daemon, line: string): Promise<{ doc: unknown; code: number | null }> {
  const r = await fleetvisorctl(d, ['--json', ...line.split(' ')]);
  assert.equal(r.stderr, '', line);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one JSON document for ${line}: ${r.stdout}`);
  return { doc: JSON.parse(lines[0]), code: r.code };
}

describe('fleetvisorctl additions', () => {
  let d: Daemon;
  before(async () => {
    [d] = await Promise.all([startDaemon('supervisord', CONF), fleetvisorctlCommand()]);
    await d.waitForStates({ web: 'RUNNING', 'worker:worker_0': 'RUNNING', 'worker:worker_1': 'RUNNING' });
  });
  after(() => d?.stop());

  test('--json status: one row per process, bad names as error rows, same exit status', async () => {
    const { doc, code } = await json(d, 'status');
    const rows = doc as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((r) => [r.name, r.group, r.process, r.state]),
      [
        ['idle', 'idle', 'idle', 'STOPPED'],
        ['web', 'web', 'web', 'RUNNING'],
        ['worker:worker_0', 'worker', 'worker_0', 'RUNNING'],
        ['worker:worker_1', 'worker', 'worker_1', 'RUNNING'],
      ],
    );
    assert.equal(code, 3);
    assert.ok((rows[1].pid as number) > 0);
    assert.equal(rows[0].statecode, 0);
    assert.match(rows[1].description as string, /^pid \d+, uptime /);

    const bad = await json(d, 'status nosuch web');
    const badRows = bad.doc as Record<string, unknown>[];
    assert.deepEqual(badRows[0], { name: 'nosuch', ok: false, error: 'no such process' });
    assert.deepEqual([badRows.length, badRows[1].name, bad.code], [2, 'web', 4]);
  });

  test('--json on actions, single values, logs and failures', async () => {
    assert.deepEqual((await json(d, 'start web')).doc, [
      { name: 'web', group: 'web', process: 'web', status: 60, ok: false, error: 'already started', description: 'ALREADY_STARTED: web' },
    ]);
    assert.deepEqual(await json(d, 'version'), { doc: { version: '4.2.5' }, code: 0 });
    assert.deepEqual(await json(d, 'tail web'), { doc: { name: 'web', channel: 'stdout', data: 'ready\n' }, code: 0 });
    assert.deepEqual(await json(d, 'reread'), { doc: { added: [], changed: [], removed: [] }, code: 0 });
    assert.deepEqual(await json(d, 'start'), { doc: { error: 'Error: start requires a process name' }, code: 2 });
    assert.deepEqual(await json(d, 'bogus'), { doc: { error: '*** Unknown syntax: bogus' }, code: 1 });
    const avail = (await json(d, 'avail')).doc as Record<string, unknown>[];
    assert.deepEqual(avail[0], { name: 'idle', group: 'idle', process: 'idle', inuse: true, autostart: false, group_prio: 999, process_prio: 999 });
    const missing = await fleetvisorctl(d, ['--json', '-s', `unix://${d.dir}/nosock`, 'status']);
    assert.deepEqual([JSON.parse(missing.stdout), missing.code], [{ error: `unix://${d.dir}/nosock no such file` }, 4]);
  });

  test('the shell: status first, the prompt from the config, history kept in history_file', async () => {
    writeFileSync(join(d.dir, 'history'), 'status\nversion\n');
    const { expected, actual } = await bothClients(d, '', { input: 'version\nfoo\n' });
    assert.deepEqual(actual, expected);
    assert.match(actual.stdout, /^idle +STOPPED +Not started\n(.*\n){3}fleet> 4\.2\.5\nfleet> \*\*\* Unknown syntax: foo\nfleet> \n$/);
    assert.equal(actual.code, 0);
    // without a terminal nothing is typed into readline's history: the file is kept as it was
    assert.equal(readFileSync(join(d.dir, 'history'), 'utf8'), 'status\nversion\n');
  });

  test('-i with a command asks before shutdown; "n" keeps the daemon up', async () => {
    const { expected, actual } = await bothClients(d, 'shutdown', { pre: ['-i'], input: 'n\n' });
    assert.deepEqual(actual, expected);
    assert.equal(actual.stdout, 'Really shut the remote supervisord process down y/N? ');
    assert.equal((await fleetvisorctl(d, ['version'])).stdout, '4.2.5\n');
  });
});
