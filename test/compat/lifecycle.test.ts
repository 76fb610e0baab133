/**
 * Compat spec §10 items 41–45: shutdown, reload, SIGHUP/SIGUSR2, a shutdown
 * held up by a process ignoring SIGTERM, and refusals to boot. Each table runs
 * against every daemon kind.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, runDaemonToExit, startDaemon, within, type Daemon, type DaemonKind } from '../helpers/daemon.js';
import { mainLogLines, normalize } from '../helpers/normalize.js';
import { runScenario, type Scenario } from '../helpers/scenario.js';
import { running } from './status-rows.js';

const SLEEPER_CONF = '[program:sleeper]\ncommand=/bin/sleep 1000\n';
const STUBBORN_CONF = `[program:stubborn]
command=sh -c "trap '' TERM; exec sleep 1000"
stopwaitsecs=8
`;

function sleeperPid(d: Daemon): Promise<number> {
  return d.rpc('supervisor.getProcessInfo', ['sleeper']).then((info) => (info as { pid: number }).pid);
}

async function waitForExit(d: Daemon, ms: number): Promise<void> {
  const exited = await within(d.exited.then(() => true), ms, false);
  assert.equal(exited, true, `${d.kind} still running ${ms} ms after shutdown`);
}

const RESTARTS: Scenario = {
  name: 'reload, SIGHUP and SIGUSR2 keep the daemon pid and respawn the processes (item 43)',
  steps: [
    { ctl: 'reload', stdout: 'Restarted supervisord\n', code: 0 },
    { action: 'wait for the reload to finish', run: (d) => d.waitForMainLog(/(supervisord started with pid \d+[^]*){2}/) },
    { waitFor: { sleeper: 'RUNNING' } },
    { ctl: 'status', stdout: running('sleeper'), code: 0 },
    {
      action: 'SIGHUP restarts everything under the same daemon pid',
      run: async (d) => {
        const before = await sleeperPid(d);
        process.kill(d.pid, 'SIGHUP');
        await d.waitForMainLog('received SIGHUP indicating restart request');
        await d.waitForMainLog(/(supervisord started with pid \d+[^]*){3}/);
        await d.waitForStates({ sleeper: 'RUNNING' });
        assert.notEqual(await sleeperPid(d), before);
        assert.equal(await d.rpc('supervisor.getPID'), d.pid);
        // `waiting for … to die` depends on how long the stop takes, so it is left out
        const lines = mainLogLines(d.mainLog(), d.dir).filter((l) => !l.startsWith('INFO waiting for'));
        const hup = lines.indexOf('WARN received SIGHUP indicating restart request');
        assert.deepEqual(lines.slice(hup, hup + 2), [
          'WARN received SIGHUP indicating restart request',
          'WARN stopped: sleeper (terminated by SIGTERM)',
        ]);
        assert.ok(lines.slice(hup).includes(`INFO supervisord started with pid PID`), lines.join('\n'));
      },
    },
    {
      action: 'SIGUSR2 reopens the logs',
      run: async (d) => {
        process.kill(d.pid, 'SIGUSR2');
        await d.waitForMainLog('supervisord logreopen');
        const lines = mainLogLines(d.mainLog(), d.dir);
        const usr2 = lines.indexOf('INFO received SIGUSR2 indicating log reopen request');
        assert.deepEqual(lines.slice(usr2), [
          'INFO received SIGUSR2 indicating log reopen request',
          'INFO supervisord logreopen',
        ]);
      },
    },
    { ctl: 'pid', stdout: 'PID\n', code: 0, barePids: true },
    { action: 'pid is still the first one', run: async (d) => assert.equal((await d.ctl(['pid'])).stdout, `${d.pid}\n`) },
  ],
};

const SHUTDOWN: Scenario = {
  name: 'shutdown, then shutdown and status against the stopped daemon (item 41)',
  steps: [
    { ctl: 'shutdown', stdout: 'Shut down\n', code: 0 },
    { action: 'the daemon exits', run: (d) => waitForExit(d, 10_000) },
    {
      action: 'socket and pidfile are removed',
      run: (d) => assert.deepEqual(['sock', 'supervisord.pid'].filter((f) => existsSync(join(d.dir, f))), []),
    },
    { ctl: 'shutdown', stdout: 'ERROR: unix://{dir}/sock no such file (already shut down?)\n', code: 1 },
    { ctl: 'status', stdout: 'unix://{dir}/sock no such file\n', code: 4 },
  ],
};

const STUBBORN_SHUTDOWN: Scenario = {
  name: 'shutdown waits stopwaitsecs for a process ignoring SIGTERM, then kills it (item 42)',
  steps: [
    { action: 'note the time', run: () => void (shutdownAskedAt = Date.now()) },
    { ctl: 'shutdown', stdout: 'Shut down\n', code: 0 },
    { rpc: 'supervisor.getState', fault: { faultCode: 6, faultString: 'SHUTDOWN_STATE' } },
    { ctl: 'shutdown', stdout: 'ERROR: already shutting down\n', code: 0 },
    { ctl: 'reload', stdout: 'ERROR: already shutting down\n', code: 1 },
    {
      ctl: 'status',
      stdout:
        "error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>: file: /usr/lib/python3.11/xmlrpc/client.py line: 668\n",
      code: 1,
    },
    { rpc: 'supervisor.sendRemoteCommEvent', params: ['t', 'during shutdown'], result: true },
    {
      action: 'SIGKILL after stopwaitsecs, then exit',
      run: async (d) => {
        await waitForExit(d, 20_000);
        const lines = mainLogLines(d.mainLog(), d.dir);
        const end = lines.slice(lines.indexOf('INFO waiting for stubborn to die'));
        assert.deepEqual(end.filter((l) => !l.startsWith('INFO waiting for')), [
          "WARN killing 'stubborn' (PID) with SIGKILL",
          'WARN stopped: stubborn (terminated by SIGKILL)',
        ]);
        const elapsed = Date.now() - shutdownAskedAt;
        assert.ok(elapsed >= 7500, `stubborn was killed after ${elapsed} ms, before stopwaitsecs=8`);
      },
    },
  ],
};
let shutdownAskedAt = 0;

function daemonSuite(kind: DaemonKind, title: string, conf: string, settled: Record<string, string>, scenarios: Scenario[]): void {
  describe(`${kind}: ${title}`, () => {
    let daemon: Daemon | undefined;
    before(async () => {
      daemon = await startDaemon(kind, conf);
      await daemon.waitForStates(settled, 20_000);
    });
    after(() => daemon?.stop());
    for (const scenario of scenarios) {
      test(scenario.name, async () => {
        assert.ok(daemon, 'daemon did not start');
        await runScenario(daemon, scenario);
      });
    }
  });
}

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
  });
}

const ANOTHER_PROGRAM =
  'Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  ' +
  'Shut this program down first before starting supervisord.\nFor help, use ARGV0 -h\n';

for (const kind of daemonKinds()) {
  daemonSuite(kind, 'restarts', SLEEPER_CONF, { sleeper: 'RUNNING' }, [RESTARTS, SHUTDOWN]);
  daemonSuite(kind, 'stubborn shutdown', STUBBORN_CONF, { stubborn: 'RUNNING' }, [STUBBORN_SHUTDOWN]);

  describe(`${kind}: refusing to boot (items 44, 45)`, () => {
    test('a bad boolean is a usage error naming section and file', async () => {
      const result = await runDaemonToExit(kind, '[program:a]\ncommand=/bin/sleep 1000\nautostart=maybe\n');
      assert.deepEqual(
        { stderr: normalize(result.stderr, { dir: result.dir }), code: result.code },
        {
          stderr:
            "Error: not a valid boolean value: 'maybe' in section 'program:a' (file: '{dir}/supervisord.conf')\n" +
            'For help, use ARGV0 -h\n',
          code: 2,
        },
      );
    });

    test('an unknown flag is a usage error', async () => {
      const result = await runDaemonToExit(kind, SLEEPER_CONF, { args: ['-Z'] });
      assert.deepEqual(
        { stderr: normalize(result.stderr), code: result.code },
        { stderr: 'Error: option -Z not recognized\nFor help, use ARGV0 -h\n', code: 2 },
      );
    });

    describe('a socket or port already served by someone else', () => {
      let first: Daemon | undefined;
      let server: Server | undefined;
      before(async () => {
        first = await startDaemon(kind, SLEEPER_CONF);
        server = await listen();
      });
      after(async () => {
        server?.close();
        await first?.stop();
      });

      test('unix socket of a running daemon', async () => {
        assert.ok(first);
        const result = await runDaemonToExit(kind, `[unix_http_server]\nfile=${first.sock}\n`);
        assert.deepEqual({ stderr: normalize(result.stderr), code: result.code }, { stderr: ANOTHER_PROGRAM, code: 2 });
        assert.ok(existsSync(first.sock), 'the refused daemon removed the running one\'s socket');
        assert.deepEqual((await first.ctl(['status'])).code, 0);
      });

      test('TCP port held by another program', async () => {
        assert.ok(server);
        const port = (server.address() as AddressInfo).port;
        const result = await runDaemonToExit(kind, `[inet_http_server]\nport=127.0.0.1:${port}\n`);
        assert.deepEqual({ stderr: normalize(result.stderr), code: result.code }, { stderr: ANOTHER_PROGRAM, code: 2 });
      });
    });
  });
}
