import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcFault, type FaultName } from '../../node-agent/api/faults.js';
import { FakeDispatcher, FakeSupervisor, request, startWebApp, type WebApp } from './fake-supervisor.js';

const supervisor = new FakeSupervisor([
  { group: 'sleeper', name: 'sleeper', state: 'RUNNING' },
  { group: 'grp', name: 'manual', state: 'STOPPED' },
]);
const dispatcher = new FakeDispatcher();

let web: WebApp;
before(async () => {
  web = await startWebApp(supervisor, dispatcher);
});
after(() => web.close());
beforeEach(() => {
  dispatcher.calls.length = 0;
  dispatcher.answers.clear();
  web.logger.reset();
});

const CTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/** GET an action URL; return the decoded message of the 301. */
async function act(query: string, headers: Record<string, string> = { host: 'example.test:9001' }): Promise<string> {
  const res = await request(web.base, `/index.html?${query}`, { headers });
  assert.equal(res.status, 301, `status of ${query}: ${res.body}`);
  const location = String(res.headers.location);
  const prefix = 'http://example.test:9001/?message=';
  assert.ok(location.startsWith(prefix), location);
  return decodeURIComponent(location.slice(prefix.length));
}

function failWith(name: FaultName, detail?: string) {
  return () => {
    throw new RpcFault(name, detail);
  };
}

describe('status page actions', () => {
  test('stop: 301 to the Host with the quoted message, as supervisord (differential check 38)', async () => {
    const res = await request(web.base, '/index.html?processname=grp:manual&action=stop', { headers: { host: 'example.test:9001' } });
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, 'http://example.test:9001/?message=Process%20grp%3Amanual%20stopped');
    assert.equal(res.headers['content-type'], 'text/html');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.body, /<p>Error code 301\.\r\n<p>Message: Moved Permanently\./);
    assert.deepEqual(dispatcher.calls.map((c) => [c.method, c.params]), [['supervisor.stopProcess', ['grp:manual']]]);
    assert.deepEqual(dispatcher.calls[0].ctx, { server: 'web' });
  });

  test('start, restart and clearlog report success', async () => {
    assert.equal(await act('processname=grp:manual&action=start'), 'Process grp:manual started');
    assert.equal(await act('processname=sleeper&action=restart'), 'Process sleeper restarted');
    assert.equal(await act('processname=sleeper&action=clearlog'), 'Log for sleeper cleared');
    assert.deepEqual(
      dispatcher.calls.map((c) => [c.method, c.params]),
      [
        ['supervisor.startProcess', ['grp:manual']],
        [
          'system.multicall',
          [[{ methodName: 'supervisor.stopProcess', params: ['sleeper'] }, { methodName: 'supervisor.startProcess', params: ['sleeper'] }]],
        ],
        ['supervisor.clearProcessLogs', ['sleeper']],
      ],
    );
  });

  test('refresh, stopall and restartall stamp the time', async () => {
    const refreshed = await act('action=refresh');
    assert.match(refreshed, /^Page refreshed at /);
    assert.match(refreshed.slice('Page refreshed at '.length), CTIME);
    assert.match((await act('action=stopall')).slice('All stopped at '.length), CTIME);
    assert.match((await act('action=restartall')).slice('All restarted at '.length), CTIME);
    assert.deepEqual(
      dispatcher.calls.map((c) => [c.method, c.params]),
      [
        ['supervisor.stopAllProcesses', []],
        ['system.multicall', [[{ methodName: 'supervisor.stopAllProcesses' }, { methodName: 'supervisor.startAllProcesses' }]]],
      ],
    );
  });

  test('start faults map to supervisord texts', async () => {
    const cases: Array<[FaultName, string]> = [
      ['NO_FILE', 'no such file'],
      ['NOT_EXECUTABLE', 'file not executable'],
      ['ALREADY_STARTED', 'already started'],
      ['SPAWN_ERROR', 'spawn error'],
      ['ABNORMAL_TERMINATION', 'abnormal termination'],
    ];
    for (const [fault, text] of cases) {
      dispatcher.answer('supervisor.startProcess', failWith(fault, 'x'));
      assert.equal(await act('processname=grp:manual&action=start'), `ERROR: Process grp:manual: ${text}`);
    }
    dispatcher.answer('supervisor.startProcess', failWith('SHUTDOWN_STATE'));
    assert.equal(await act('processname=grp:manual&action=start'), 'ERROR: Process grp:manual: unexpected rpc fault [6] SHUTDOWN_STATE');
  });

  test('stop and clearlog faults read "unexpected rpc fault"', async () => {
    dispatcher.answer('supervisor.stopProcess', failWith('NOT_RUNNING', 'grp:manual'));
    assert.equal(await act('processname=grp:manual&action=stop'), 'unexpected rpc fault [70] NOT_RUNNING: grp:manual');
    dispatcher.answer('supervisor.clearProcessLogs', failWith('FAILED', 'disk'));
    assert.equal(await act('processname=grp:manual&action=clearlog'), 'unexpected rpc fault [30] FAILED: disk');
  });

  test('restart says restarted whatever the calls returned', async () => {
    dispatcher.answer('system.multicall', () => [{ faultCode: 70, faultString: 'NOT_RUNNING' }, true]);
    assert.equal(await act('processname=grp:manual&action=restart'), 'Process grp:manual restarted');
  });

  test('an unknown process is reported without calling anything', async () => {
    assert.equal(await act('processname=nosuch&action=stop'), 'No such process named nosuch');
    assert.equal(await act('processname=grp:*&action=start'), 'No such process named grp:*');
    assert.equal(await act('processname=nosuch&action=bogus'), 'No such process named nosuch');
    assert.equal(dispatcher.calls.length, 0);
  });

  test('an unknown action is a 500 and a logged web interface error', async () => {
    const res = await request(web.base, '/index.html?processname=sleeper&action=bogus');
    assert.equal(res.status, 500);
    assert.match(res.body, /Error code 500\./);
    assert.match(web.logger.text(), /^ERRO Web interface error:/m);
    const nameless = await request(web.base, '/index.html?action=start');
    assert.equal(nameless.status, 500);
  });

  test('a non-fault error from the dispatcher is a 500', async () => {
    dispatcher.answer('supervisor.stopProcess', () => {
      throw new TypeError('boom');
    });
    const res = await request(web.base, '/index.html?processname=sleeper&action=stop');
    assert.equal(res.status, 500);
    assert.match(web.logger.text(), /TypeError: boom/);
  });

  test('the redirect waits until the RPC call is done', async () => {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    dispatcher.answer('supervisor.stopProcess', async () => {
      await done;
      finished = true;
      return true;
    });
    const pending = act('processname=sleeper&action=stop');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(finished, false);
    release();
    assert.equal(await pending, 'Process sleeper stopped');
    assert.equal(finished, true);
  });

  test('POST urlencoded bodies act like the query string, body over query', async () => {
    const res = await request(web.base, '/index.html?action=refresh', {
      method: 'POST',
      headers: { host: 'example.test:9001', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'processname=grp%3Amanual&action=start',
    });
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, 'http://example.test:9001/?message=Process%20grp%3Amanual%20started');
    assert.deepEqual(dispatcher.calls.map((c) => c.method), ['supervisor.startProcess']);
  });

  test('POST to / with any content type and + for spaces', async () => {
    const res = await request(web.base, '/', {
      method: 'POST',
      headers: { host: 'h', 'content-type': 'text/plain' },
      body: 'action=refresh&x=a+b',
    });
    assert.equal(res.status, 301);
    assert.match(String(res.headers.location), /^http:\/\/h\/\?message=Page%20refreshed%20at%20/);
  });

  test('POST with a JSON content type or none is still read as urlencoded', async () => {
    const json = await request(web.base, '/index.html', {
      method: 'POST',
      headers: { host: 'h', 'content-type': 'application/json' },
      body: 'action=refresh',
    });
    assert.equal(json.status, 301);
    const bare = await request(web.base, '/index.html', { method: 'POST', headers: { host: 'h' }, body: 'action=refresh' });
    assert.equal(bare.status, 301);
    const empty = await request(web.base, '/index.html', { method: 'POST' });
    assert.equal(empty.status, 200);
  });

  test('a POST without an action shows the page', async () => {
    const res = await request(web.base, '/index.html', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'message=hello+there',
    });
    assert.equal(res.status, 200);
    assert.match(res.body, /id="statusmessage">hello there</);
  });

  test('Location host: port 80 dropped, empty Host falls back to localhost and the server port', async () => {
    const eighty = await request(web.base, '/index.html?action=refresh', { headers: { host: 'foo:80' } });
    assert.match(String(eighty.headers.location), /^http:\/\/foo\/\?message=/);
    const ipv6 = await request(web.base, '/index.html?action=refresh', { headers: { host: '[::1]:8080' } });
    assert.match(String(ipv6.headers.location), /^http:\/\/\[::1\]:8080\/\?message=/);
    const none = await request(web.base, '/index.html?action=refresh', { headers: { host: '' } });
    assert.match(String(none.headers.location), new RegExp(`^http://localhost:${web.port}/\\?message=`));
  });

  test('HEAD never acts', async () => {
    const res = await request(web.base, '/index.html?processname=sleeper&action=stop', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(dispatcher.calls.length, 0);
  });
});
