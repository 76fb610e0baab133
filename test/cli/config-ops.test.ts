/**
 * reread, update, add, remove and avail after the config file changes
 * (compat spec §5.3, §10 items 21–24). The commands change the daemon, so
 * each client drives its own daemon through the same steps and the two
 * transcripts must match.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, startDaemon, type Daemon } from '../helpers/daemon.js';
import { comparable, fleetvisorctl, fleetvisorctlCommand, supervisorctl } from './harness.js';

const BASE = `[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:changes]
command=/bin/sleep 1000
startsecs=0

[program:goes]
command=/bin/sleep 1000
startsecs=0
`;

const EDITED = `[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:changes]
command=/bin/sleep 999
startsecs=0

[program:arrives]
command=/bin/sleep 1000
startsecs=0
`;

const BROKEN = `${EDITED}
[program:bad]
command=/bin/sleep 1
startsecs=abc
`;

type Step = string | { rewrite: string };

const STEPS: Step[] = [
  'reread',
  'update',
  { rewrite: EDITED },
  'avail',
  'reread',
  'avail',
  'update nosuch',
  'update',
  'status',
  'reread',
  'add arrives',
  'remove arrives',
  'stop arrives',
  'remove arrives nosuch',
  'add arrives nosuch',
  'reread x',
  { rewrite: BROKEN },
  'reread',
  'update',
];

type Client = typeof supervisorctl;

async function transcript(d: Daemon, client: Client): Promise<string> {
  const entries: string[] = [];
  for (const step of STEPS) {
    if (typeof step !== 'string') {
      d.rewriteConf(step.rewrite);
      entries.push('# config rewritten');
      continue;
    }
    const r = comparable(d, await client(d, step.split(' ')));
    entries.push(`$ ${step}\n${r.stdout}[stderr]${r.stderr}[exit ${r.code}]`);
  }
  return entries.join('\n');
}

for (const kind of daemonKinds()) {
  describe(`config changes on ${kind}`, () => {
    let forReal: Daemon;
    let forFleet: Daemon;
    before(async () => {
      [forReal, forFleet] = await Promise.all([startDaemon(kind, BASE), startDaemon(kind, BASE), fleetvisorctlCommand()]);
      await Promise.all([forReal, forFleet].map((d) => d.waitForStates({ keep: 'RUNNING', changes: 'RUNNING', goes: 'RUNNING' })));
    });
    after(() => Promise.all([forReal?.stop(), forFleet?.stop()]));

    test('the same session gives the same transcript', async () => {
      const [expected, actual] = await Promise.all([transcript(forReal, supervisorctl), transcript(forFleet, fleetvisorctl)]);
      assert.equal(actual, expected);
      // the transcript says what it should, not just the same as the reference
      assert.match(actual, /\$ reread\narrives: available\nchanges: changed\ngoes: disappeared\n/);
      assert.match(actual, /goes: stopped\ngoes: removed process group\nchanges: stopped\nchanges: updated process group\narrives: added process group\n/);
      assert.match(actual, /\$ add arrives\nERROR: process group already active\n\[stderr\]\[exit 0\]/);
      assert.match(actual, /ERROR: CANT_REREAD: invalid literal for int\(\) with base 10: 'abc'.*\n\[stderr\]\[exit 1\]/);
      assert.match(actual, /\$ update\nerror: <class 'xmlrpc.client.Fault'>, <Fault 92: "CANT_REREAD: /);
    });
  });
}
