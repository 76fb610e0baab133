/**
 * One long supervisorctl session on the §10 fixture, run against supervisord
 * and fleetvisord side by side; the normalised transcripts must be identical.
 * Unlike the scenario tables this needs no expected output: supervisord is
 * the expectation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonKinds, fleetvisordBuilt, startDaemon, type Daemon, type DaemonKind } from '../helpers/daemon.js';
import { transcriptOf, type TranscriptStep } from '../helpers/scenario.js';
import { FIXTURE_CONF, FIXTURE_FILES, FIXTURE_SETTLED } from './fixture.js';

const EXTRA_PROGRAM = '\n[program:extra]\ncommand=/bin/sleep 1000\npriority=5\n';

const SESSION: TranscriptStep[] = [
  { ctl: 'status' },
  { ctl: 'status sleeper nosuch nosuch:*' },
  { ctl: 'start sleeper notfound noexec nosuch' },
  { ctl: 'start nosuch:*' },
  { ctl: 'status quick' },
  { ctl: 'stop sleeper' },
  { ctl: 'stop sleeper' },
  { ctl: 'status sleeper' },
  { ctl: 'restart sleeper' },
  { ctl: 'restart multi:*', sortLines: true },
  { ctl: 'signal CONT all' },
  { ctl: 'signal FOO sleeper' },
  { ctl: 'signal HUP notfound' },
  { ctl: 'pid notfound' },
  { ctl: 'pid nosuch' },
  { ctl: 'pid all', barePids: true },
  { ctl: 'avail' },
  { ctl: 'tail exit1' },
  { ctl: 'tail -2 exit1 stderr' },
  { ctl: 'tail nosuch' },
  { ctl: 'clear exit1 nosuch' },
  { ctl: 'clear multi:*' },
  { ctl: 'maintail x' },
  { ctl: 'version' },
  { ctl: 'foo bar' },
  { ctl: 'reread' },
  { action: 'add [program:extra] to the config', run: (d) => d.rewriteConf(FIXTURE_CONF + EXTRA_PROGRAM) },
  { ctl: 'reread' },
  { ctl: 'avail' },
  { ctl: 'update' },
  { waitFor: { extra: 'RUNNING' } },
  { ctl: 'status extra' },
  { ctl: 'remove extra' },
  { ctl: 'stop extra' },
  { ctl: 'remove extra' },
  { ctl: 'add extra' },
  { ctl: 'add extra' },
  { waitFor: { extra: 'RUNNING' } },
  { ctl: 'stop all', sortLines: true },
  { ctl: 'status' },
  { rpc: 'supervisor.getProcessInfo', params: ['multi'] },
  { rpc: 'supervisor.startProcessGroup', params: ['grp', false] },
  { waitFor: { 'grp:manual': 'RUNNING' } },
  { rpc: 'supervisor.signalProcessGroup', params: ['grp', 'FOO'] },
  { ctl: 'shutdown' },
];

async function session(kind: DaemonKind): Promise<string> {
  let daemon: Daemon | undefined;
  try {
    daemon = await startDaemon(kind, FIXTURE_CONF, { files: FIXTURE_FILES });
    await daemon.waitForStates(FIXTURE_SETTLED, 20_000);
    return await transcriptOf(daemon, SESSION);
  } finally {
    await daemon?.stop();
  }
}

/** The first differing lines with a little context, for a readable failure. */
function firstDifference(reference: string, actual: string): string {
  const want = reference.split('\n');
  const got = actual.split('\n');
  const at = want.findIndex((line, i) => line !== got[i]);
  const index = at === -1 ? want.length : at;
  const from = Math.max(0, index - 4);
  return [
    `first difference at line ${index + 1}`,
    '--- supervisord',
    ...want.slice(from, index + 4),
    '+++ fleetvisord',
    ...got.slice(from, index + 4),
  ].join('\n');
}

test('the same supervisorctl session reads the same on supervisord and fleetvisord', async (t) => {
  if (!fleetvisordBuilt()) {
    t.skip('fleetvisord not built yet');
    return;
  }
  if (!daemonKinds().includes('fleetvisord') || !daemonKinds().includes('supervisord')) {
    t.skip('FLEETVISOR_DIFF leaves one of the two daemons out');
    return;
  }
  const [reference, actual] = await Promise.all([session('supervisord'), session('fleetvisord')]);
  assert.ok(reference.includes('quick                            FATAL'), 'the reference session itself went wrong');
  assert.equal(actual, reference, firstDifference(reference, actual));
});
