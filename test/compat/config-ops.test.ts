/**
 * Compat spec §10 items 21–24: reread, update, add, remove and avail while the
 * config file is edited between steps. One table per daemon kind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, startDaemon, type Daemon } from '../helpers/daemon.js';
import { runScenario, type Scenario } from '../helpers/scenario.js';
import { availRow, running } from './status-rows.js';

const SLEEP = 'command=/bin/sleep 1000';

const CONF_V1 = `[program:sleeper]\n${SLEEP}\n\n[program:y]\n${SLEEP}\n\n[program:z]\n${SLEEP}\n`;
/** x added, y changed, z removed. */
const CONF_V2 = `[program:sleeper]\n${SLEEP}\n\n[program:x]\n${SLEEP}\n\n[program:y]\ncommand=/bin/sleep 999\n`;
/** V2 with a value supervisord cannot parse. */
const CONF_BAD = `${CONF_V2}\n[program:bad]\n${SLEEP}\nstartsecs=abc\n`;
/** V2 with sleeper changed and w added: `update sleeper` must touch only sleeper. */
const CONF_V3 = `[program:sleeper]\ncommand=/bin/sleep 998\n\n[program:w]\n${SLEEP}\n\n[program:x]\n${SLEEP}\n\n[program:y]\ncommand=/bin/sleep 999\n`;

const CANT_REREAD =
  "CANT_REREAD: invalid literal for int() with base 10: 'abc' in section 'program:bad' (file: '{dir}/supervisord.conf')";

export const SCENARIOS: Scenario[] = [
  {
    name: 'reread and update after an edit (items 21, 22)',
    steps: [
      { ctl: 'reread', stdout: 'No config updates to processes\n', code: 0 },
      { ctl: 'update', stdout: '', code: 0 },
      { action: 'edit: add x, change y, remove z', run: (d) => d.rewriteConf(CONF_V2) },
      { ctl: 'reread', stdout: 'x: available\ny: changed\nz: disappeared\n', code: 0 },
      {
        // the reread config hides the removed-but-running z
        ctl: 'avail',
        stdout: availRow('sleeper', true, true) + availRow('x', false, true) + availRow('y', true, true),
        code: 0,
      },
      { ctl: 'status', stdout: running('sleeper') + running('y') + running('z'), code: 0 },
      {
        ctl: 'update',
        stdout: 'z: stopped\nz: removed process group\ny: stopped\ny: updated process group\nx: added process group\n',
        code: 0,
      },
      { waitFor: { x: 'RUNNING', y: 'RUNNING' } },
      { ctl: 'status', stdout: running('sleeper') + running('x') + running('y'), code: 0 },
      { ctl: 'reread', stdout: 'No config updates to processes\n', code: 0 },
      { ctl: 'update', stdout: '', code: 0 },
      { ctl: 'update nosuch', stdout: 'ERROR: no such group: nosuch\n', code: 1 },
    ],
  },
  {
    name: 'add and remove groups (item 24)',
    steps: [
      { ctl: 'add sleeper', stdout: 'ERROR: process group already active\n', code: 0 },
      { ctl: 'remove sleeper', stdout: 'ERROR: process/group still running: sleeper\n', code: 1 },
      { ctl: 'add nosuch', stdout: 'ERROR: no such process/group: nosuch\n', code: 1 },
      { ctl: 'remove nosuch', stdout: 'ERROR: no such process/group: nosuch\n', code: 1 },
      { ctl: 'stop x', stdout: 'x: stopped\n', code: 0 },
      { ctl: 'remove x', stdout: 'x: removed process group\n', code: 0 },
      { ctl: 'remove x', stdout: 'ERROR: no such process/group: x\n', code: 1 },
      { ctl: 'status', stdout: running('sleeper') + running('y'), code: 0 },
      { ctl: 'avail', stdout: availRow('sleeper', true, true) + availRow('x', false, true) + availRow('y', true, true), code: 0 },
      { ctl: 'add x', stdout: 'x: added process group\n', code: 0 },
      { ctl: 'add x', stdout: 'ERROR: process group already active\n', code: 0 },
      { waitFor: { x: 'RUNNING' } },
      { ctl: 'status x', stdout: running('x'), code: 0 },
    ],
  },
  {
    name: 'reread and update with a bad config (item 23)',
    steps: [
      { action: 'edit: add a program with startsecs=abc', run: (d) => d.rewriteConf(CONF_BAD) },
      { ctl: 'reread', stdout: `ERROR: ${CANT_REREAD}\n`, code: 1 },
      {
        ctl: 'update',
        stdout:
          `error: <class 'xmlrpc.client.Fault'>, <Fault 92: "${CANT_REREAD}">: ` +
          'file: /usr/lib/python3.11/xmlrpc/client.py line: 668\n',
        code: 1,
      },
      { rpc: 'supervisor.reloadConfig', fault: { faultCode: 92, faultString: CANT_REREAD } },
      { ctl: 'avail', stdout: availRow('sleeper', true, true) + availRow('x', true, true) + availRow('y', true, true), code: 0 },
    ],
  },
  {
    name: 'update of named groups leaves the others alone',
    steps: [
      { action: 'edit: change sleeper, add w', run: (d) => d.rewriteConf(CONF_V3) },
      { ctl: 'update sleeper', stdout: 'sleeper: stopped\nsleeper: updated process group\n', code: 0 },
      { ctl: 'avail', stdout: availRow('sleeper', true, true) + availRow('w', false, true) + availRow('x', true, true) + availRow('y', true, true), code: 0 },
      { ctl: 'update all', stdout: 'w: added process group\n', code: 0 },
      { waitFor: { sleeper: 'RUNNING', w: 'RUNNING' } },
      { ctl: 'status', stdout: running('sleeper') + running('w') + running('x') + running('y'), code: 0 },
    ],
  },
];

for (const kind of daemonKinds()) {
  describe(`supervisorctl against ${kind}: reread, update, add, remove`, () => {
    let daemon: Daemon | undefined;
    before(async () => {
      daemon = await startDaemon(kind, CONF_V1);
      await daemon.waitForStates({ sleeper: 'RUNNING', y: 'RUNNING', z: 'RUNNING' }, 20_000);
    });
    after(() => daemon?.stop());

    for (const scenario of SCENARIOS) {
      test(scenario.name, async () => {
        assert.ok(daemon, 'daemon did not start');
        await runScenario(daemon, scenario);
      });
    }
  });
}
