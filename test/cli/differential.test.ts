/**
 * fleetvisorctl against supervisorctl, command by command, on the same
 * daemon: identical stdout, stderr and exit status (compat spec §5). Runs on
 * supervisord and on fleetvisord.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, startDaemon, type Daemon } from '../helpers/daemon.js';
import { bothClients, fleetvisorctlCommand, type CompareOptions } from './harness.js';
import { CLI_FIXTURE, CLI_FIXTURE_FILES, CLI_FIXTURE_SETTLED } from './fixture.js';

interface Case extends CompareOptions {
  line: string;
  /** A supervisorctl command run before each of the two clients, so both start from the same state. */
  before?: string;
  /** Outcomes that differ only by a race inside the daemon are made equal. */
  racy?: boolean;
}

/** Cases whose output depends on the daemon's state and answers: run on every daemon kind, one at a time. */
const STATE_CASES: Case[] = [
  { line: 'status' },
  { line: 'status sleeper nosuch multi:* grp:' },
  { line: 'status nosuch:*' },
  { line: 'status exit1 quick' },
  { line: 'start sleeper notfound noexec nosuch nosuch:x' },
  { line: 'start nosuch:*' },
  { line: 'start multi:*' },
  { line: 'start quick', racy: true },
  { line: 'start sleeper', before: 'stop sleeper' },
  { line: 'start grp:*', before: 'stop grp:*' },
  { line: 'stop notfound nosuch' },
  { line: 'stop nosuch:*' },
  { line: 'stop sleeper', before: 'start sleeper' },
  { line: 'stop all', before: 'start sleeper multi:* grp:*', sortLines: true },
  { line: 'start all', before: 'stop all', sortLines: true, racy: true },
  { line: 'restart sleeper', before: 'stop sleeper' },
  { line: 'restart multi:*', before: 'start multi:*', sortLines: true },
  { line: 'signal HUP sleeper' },
  { line: 'signal FOO sleeper' },
  { line: 'signal HUP notfound nosuch nosuch:*' },
  { line: 'signal CONT multi:*', sortLines: true },
  { line: 'pid', barePids: true },
  { line: 'pid all', barePids: true },
  { line: 'pid sleeper notfound', barePids: true },
  { line: 'pid nosuch' },
  { line: 'avail' },
  { line: 'clear multi:* nosuch' },
  { line: 'clear exit1 sleeper' },
  { line: 'tail exit1' },
  { line: 'tail -3 exit1' },
  { line: 'tail -2 exit1 STDERR' },
  { line: 'tail nosuch' },
  { line: 'tail nolog stderr' },
  { line: 'maintail -40' },
  { line: 'version' },
  { line: 'fg nosuch' },
  { line: 'fg notfound' },
  { line: '' },
];

/**
 * Lines the client answers mostly by itself (usage, help, syntax). They run
 * on supervisord only, as one shell session per client (two process starts
 * instead of sixty); ONE_SHOT repeats a few as commands for their exit status.
 */
const CLIENT_LINES: string[] = [
  'status all',
  'start',
  'stop',
  'restart',
  'signal',
  'signal HUP',
  'clear',
  'avail x',
  'tail exit1 foo',
  'tail',
  'tail -f',
  'tail -x exit1',
  'tail a b c d',
  'maintail x',
  'maintail -x',
  'maintail -1 -2',
  'version x',
  'foo',
  'foo-bar baz',
  'help',
  'help tail',
  'help maintail',
  'help help',
  'help nosuch',
  '?stop',
  'fg',
  'fg a b',
  'open ftp://x',
  'reload x',
  'shutdown x',
  'quit',
];

const ONE_SHOT: Case[] = [{ line: 'start' }, { line: 'stop' }, { line: 'foo' }, { line: 'tail a b c d' }, { line: 'help' }, { line: 'version x' }];

/** supervisord itself reports either outcome for a program that dies at once, depending on timing. */
function unrace(text: string): string {
  return text.replaceAll('ERROR (abnormal termination)', 'ERROR (spawn error)');
}

async function check(d: Daemon, c: Case): Promise<void> {
  const { expected, actual } = await bothClients(d, c.line, c);
  if (c.racy) {
    for (const r of [expected, actual]) r.stdout = unrace(r.stdout);
    // which failure is reported last decides the exit status; the order is the daemon's
    if (expected.code !== actual.code && [1, 7].includes(expected.code!) && [1, 7].includes(actual.code!)) {
      actual.code = expected.code;
    }
  }
  assert.deepEqual(actual, expected);
}

function title(c: Case): string {
  return `${c.before ? `(after ${c.before}) ` : ''}${c.line || '<empty: the shell>'}`;
}

for (const kind of daemonKinds()) {
  describe(`fleetvisorctl = supervisorctl on ${kind}`, () => {
    let d: Daemon;
    before(async () => {
      [d] = await Promise.all([startDaemon(kind, CLI_FIXTURE, { files: CLI_FIXTURE_FILES }), fleetvisorctlCommand()]);
      await d.waitForStates(CLI_FIXTURE_SETTLED);
    });
    after(() => d?.stop());

    for (const c of STATE_CASES) test(title(c), () => check(d, c));
    if (kind === 'supervisord') {
      test('client-side answers in one shell session', async () => {
        const input = `${CLIENT_LINES.join('\n')}\n`;
        const { expected, actual } = await bothClients(d, '', { input });
        assert.deepEqual(actual, expected);
        assert.match(actual.stdout, /Error: too many arguments/);
      });
      for (const c of ONE_SHOT) test(title(c), () => check(d, c));
    }
  });
}
