import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcFault } from '../../node-agent/api/faults.js';
import { FakeDispatcher, FakeSupervisor, request, startWebApp, type WebApp } from './fake-supervisor.js';

const dispatcher = new FakeDispatcher();
let web: WebApp;
before(async () => {
  web = await startWebApp(new FakeSupervisor([{ group: 'grp', name: 'manual', state: 'RUNNING' }]), dispatcher);
});
after(() => web.close());
beforeEach(() => {
  dispatcher.calls.length = 0;
  dispatcher.answers.clear();
});

describe('tail.html', () => {
  test('shows the last 1024 stdout bytes, escaped, with no-cache headers', async () => {
    dispatcher.answer('supervisor.readProcessStdoutLog', () => 'line <1>\nline & 2\n');
    const res = await request(web.base, '/tail.html?processname=grp%3Amanual');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html;charset=utf-8');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.match(res.body, /<title>Supervisor tail of process grp:manual<\/title>/);
    assert.match(res.body, /<pre id="tailbody">line &lt;1&gt;\nline &amp; 2\n<\/pre>/);
    assert.match(res.body, /href="tail\.html\?processname=grp%3Amanual&amp;limit=1024"/);
    assert.deepEqual(dispatcher.calls.map((c) => [c.method, c.params]), [['supervisor.readProcessStdoutLog', ['grp:manual', -1024, 0]]]);
  });

  test('limit: max(1024, L) when L is all digits, else 1024', async () => {
    for (const [limit, bytes] of [['5000', 5000], ['10', 1024], ['-5', 1024], ['abc', 1024]] as const) {
      dispatcher.calls.length = 0;
      const res = await request(web.base, `/tail.html?processname=grp:manual&limit=${limit}`);
      assert.deepEqual(dispatcher.calls[0].params, ['grp:manual', -bytes, 0], `limit=${limit}`);
      assert.match(res.body, new RegExp(`limit=${bytes}"`));
    }
  });

  test('NO_FILE reads "No file for N"', async () => {
    dispatcher.answer('supervisor.readProcessStdoutLog', () => {
      throw new RpcFault('NO_FILE', '/tmp/x.log');
    });
    const res = await request(web.base, '/tail.html?processname=grp:manual');
    assert.match(res.body, /<pre id="tailbody">No file for grp:manual<\/pre>/);
  });

  test('other faults read "ERROR: unexpected rpc fault [c] t"', async () => {
    dispatcher.answer('supervisor.readProcessStdoutLog', () => {
      throw new RpcFault('BAD_NAME', 'nosuch');
    });
    const res = await request(web.base, '/tail.html?processname=nosuch');
    assert.match(res.body, /<pre id="tailbody">ERROR: unexpected rpc fault \[10\] BAD_NAME: nosuch<\/pre>/);
  });

  test('no process name: "No process name found" and no refresh link', async () => {
    for (const path of ['/tail.html', '/tail.html?processname=']) {
      const res = await request(web.base, path);
      assert.equal(res.status, 200);
      assert.match(res.body, /<pre id="tailbody">No process name found<\/pre>/);
      assert.doesNotMatch(res.body, /refresh_anchor/);
    }
    assert.equal(dispatcher.calls.length, 0);
  });
});
