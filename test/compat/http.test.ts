/**
 * Compat spec §10 items 35–38 with raw HTTP on both daemons (the unix socket
 * without auth, an inet port with a {SHA} password), plus fleetvisord-only
 * robustness checks: hostile or oversized XML-RPC requests are answered and
 * the daemon keeps serving.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { daemonKinds, PYTHON, runCommand, startDaemon, type Daemon } from '../helpers/daemon.js';
import {
  exchange,
  freePort,
  get,
  parseResponses,
  post,
  request,
  xmlRpcBody,
  type Endpoint,
  type RawResponse,
} from '../helpers/raw-http.js';
import { parseResponse, type XmlRpcValue } from '../helpers/xmlrpc-mini.js';
import { RpcFault } from '../../node-agent/api/faults.js';

const PASSWORD = 'secret';
const PASSWORD_SHA = createHash('sha1').update(PASSWORD).digest('hex');

function httpConf(port: number): string {
  return `[inet_http_server]
port=127.0.0.1:${port}
username=user
password={SHA}${PASSWORD_SHA}

[program:p]
command=sh -c 'echo hello; exec sleep 1000'

[program:manual]
command=/bin/sleep 1000
autostart=false

[group:grp]
programs=manual
`;
}

function errorPage(code: number, reason: string): string {
  return (
    '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n' +
    `<p>Error code ${code}.\r\n<p>Message: ${reason}.\r\n</body>\r\n`
  );
}

/** Status, the error page, and the headers every medusa response has. */
function assertErrorPage(response: RawResponse, code: number, reason: string): void {
  assert.equal(response.statusLine, `HTTP/1.1 ${code} ${reason}`);
  assert.equal(response.headers['content-type'], 'text/html');
  assert.equal(response.body, errorPage(code, reason));
  assertMedusaHeaders(response);
}

function assertMedusaHeaders(response: RawResponse): void {
  assert.equal(response.headers.server, 'Medusa/1.12');
  assert.match(response.headers.date ?? '', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
}

function basic(credentials: string): string {
  return `Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n`;
}

/** The parsed XML-RPC value of a 200 text/xml response (throws RpcFault on a fault). */
function rpcValue(response: RawResponse): XmlRpcValue {
  assert.equal(response.status, 200, response.body);
  assert.equal(response.headers['content-type'], 'text/xml');
  assert.equal(Number(response.headers['content-length']), Buffer.byteLength(response.body));
  return parseResponse(response.body);
}

/** Ends a streaming exchange once headers and `text` in the body have arrived. */
function streamedHeadersAnd(text: string): (raw: string) => boolean {
  return (raw) => {
    const [first] = parseResponses(raw);
    return first !== undefined && first.body.includes(text);
  };
}

const GET_STATE = xmlRpcBody('supervisor.getState');
const RUNNING_STATE = { statecode: 1, statename: 'RUNNING' };

for (const kind of daemonKinds()) {
  describe(`raw HTTP against ${kind}`, () => {
    let daemon: Daemon | undefined;
    let port = 0;
    const unix = (): Endpoint => {
      assert.ok(daemon, 'daemon did not start');
      return { path: daemon.sock };
    };
    const inet = (): Endpoint => ({ port });
    before(async () => {
      port = await freePort();
      daemon = await startDaemon(kind, httpConf(port));
      await daemon.waitForStates({ p: 'RUNNING' });
    });
    after(() => daemon?.stop());

    test('GET /RPC2 → 400; POST without Content-Length → 411 (item 35)', async () => {
      assertErrorPage(await request(unix(), get('/RPC2')), 400, 'Bad Request');
      const noLength = 'POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n';
      assertErrorPage(await request(unix(), noLength), 411, 'Length Required');
    });

    test('unparsable XML and an empty methodName → 400, and the connection still serves the next request', async () => {
      const raw = await exchange(
        unix(),
        Buffer.concat([post('/RPC2', 'garbage', '', 'keep-alive'), post('/RPC2', GET_STATE, '', 'close')]),
      );
      const [refused, next] = parseResponses(raw);
      assert.ok(refused && next, raw);
      assertErrorPage(refused, 400, 'Bad Request');
      assert.deepEqual(rpcValue(next), RUNNING_STATE);
      assertErrorPage(await request(unix(), post('/RPC2', xmlRpcBody(''))), 400, 'Bad Request');
    });

    test('POST to any path starting with /RPC2 is an RPC call (item 35)', async () => {
      const response = await request(unix(), post('/RPC2xyz', GET_STATE));
      assertMedusaHeaders(response);
      assert.deepEqual(rpcValue(response), RUNNING_STATE);
    });

    test('auth on: no credentials → 401 with the Basic challenge and Connection: close (item 36)', async () => {
      for (const path of ['/ok.html', '/RPC2', '/', '/logtail/p']) {
        const response = await request(inet(), get(path, '', null));
        assertErrorPage(response, 401, 'Unauthorized');
        assert.equal(response.headers['www-authenticate'], 'Basic realm="default"');
        assert.equal(response.headers.connection, 'close');
      }
    });

    test('a {SHA} password accepts the plaintext only; bad base64 → 400 (item 36)', async () => {
      const ok = await request(inet(), get('/ok.html', basic(`user:${PASSWORD}`)));
      assert.deepEqual([ok.status, ok.body], [200, 'OK']);
      const rpc = await request(inet(), post('/RPC2', GET_STATE, basic(`user:${PASSWORD}`)));
      assert.deepEqual(rpcValue(rpc), RUNNING_STATE);
      for (const wrong of [`user:{SHA}${PASSWORD_SHA}`, `user:${PASSWORD_SHA}`, 'user:wrong', `other:${PASSWORD}`]) {
        const refused = await request(inet(), get('/ok.html', basic(wrong)));
        assertErrorPage(refused, 401, 'Unauthorized');
      }
      assertErrorPage(await request(inet(), get('/ok.html', 'Authorization: Basic abc\r\n')), 400, 'Bad Request');
      // the unix socket has no auth configured
      assert.equal((await request(unix(), get('/ok.html'))).body, 'OK');
    });

    test('/logtail streams chunked text with the nginx buffering hint; unknown → 404, POST → 400 (item 37)', async () => {
      const stdout = await request(unix(), get('/logtail/p', '', null), 3_000, streamedHeadersAnd('hello\n'));
      assert.equal(stdout.status, 200);
      assert.equal(stdout.headers['content-type'], 'text/plain;charset=utf-8');
      assert.equal(stdout.headers['transfer-encoding'], 'chunked');
      assert.equal(stdout.headers['x-accel-buffering'], 'no');
      assert.match(stdout.headers['last-modified'] ?? '', / GMT$/);
      assert.equal(stdout.body, 'hello\n');
      assertMedusaHeaders(stdout);

      const main = await request(unix(), get('/mainlogtail', '', null), 3_000, streamedHeadersAnd('supervisord started with pid'));
      assert.equal(main.status, 200);
      assert.equal(main.headers['content-type'], 'text/plain;charset=utf-8');
      assert.equal(main.headers['x-accel-buffering'], undefined);

      for (const path of ['/logtail/nosuch', '/logtail/nosuch/stdout', '/logtail/p/foo', '/logtail/grp:nosuch']) {
        assertErrorPage(await request(unix(), get(path, '', null)), 404, 'Not Found');
      }
      assertErrorPage(await request(unix(), post('/logtail/p', 'x')), 400, 'Bad Request');
    });

    test(
      "a 5 MB call from supervisor's own Python client succeeds",
      async () => {
        assert.ok(daemon);
        const script =
          'import sys, xmlrpc.client\n' +
          'from supervisor.xmlrpc import SupervisorTransport\n' +
          "transport = SupervisorTransport('', '', 'unix://' + sys.argv[1])\n" +
          "proxy = xmlrpc.client.ServerProxy('http://127.0.0.1', transport)\n" +
          "print(proxy.supervisor.sendRemoteCommEvent('big', 'x' * 5000000))\n";
        const result = await runCommand(PYTHON, ['-c', script, daemon.sock]);
        assert.deepEqual(result, { stdout: 'True\n', stderr: '', code: 0 });
      },
    );

    test('index.html actions redirect with the message; bogus action → 500; /ok.html (item 38)', async () => {
      const notRunning = await request(unix(), get('/index.html?processname=grp:manual&action=stop'));
      assert.equal(notRunning.status, 301);
      assert.equal(
        notRunning.headers.location,
        'http://localhost/?message=unexpected%20rpc%20fault%20%5B70%5D%20NOT_RUNNING%3A%20grp%3Amanual',
      );

      const started = await request(unix(), get('/index.html?processname=grp:manual&action=start'));
      assert.equal(started.headers.location, 'http://localhost/?message=Process%20grp%3Amanual%20started');
      const stopped = await request(
        unix(),
        'GET /index.html?processname=grp:manual&action=stop HTTP/1.1\r\nHost: example.test:9001\r\nConnection: close\r\n\r\n',
      );
      assertErrorPage(stopped, 301, 'Moved Permanently');
      assert.equal(stopped.headers.location, 'http://example.test:9001/?message=Process%20grp%3Amanual%20stopped');
      assert.equal(stopped.headers.pragma, 'no-cache');
      assert.equal(stopped.headers['cache-control'], 'no-cache');
      assert.equal(stopped.headers.expires, 'Thu, 01 Jan 1970 00:00:00 GMT');

      assertErrorPage(await request(unix(), get('/index.html?processname=p&action=bogus')), 500, 'Internal Server Error');
      const ok = await request(unix(), get('/ok.html'));
      assert.deepEqual([ok.status, ok.headers['content-type'], ok.body], [200, 'text/plain', 'OK']);
      assertMedusaHeaders(ok);
    });
  });
}

const BILLION_LAUGHS =
  '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n') +
  '\n]>\n<methodCall><methodName>supervisor.getState</methodName><params>' +
  '<param><value><string>&lol9;</string></value></param></params></methodCall>';

/** A fault or a 4xx, never a hang or a 5xx crash page. */
function assertAnswered(response: RawResponse): string {
  if (response.status === 200) {
    try {
      parseResponse(response.body);
    } catch (err) {
      if (err instanceof RpcFault) return `fault ${err.faultCode}`;
      throw err;
    }
    assert.fail(`expected a fault, got ${response.body.slice(0, 200)}`);
  }
  assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
  return `HTTP ${response.status}`;
}

describe('fleetvisord robustness against hostile XML-RPC', { skip: !daemonKinds().includes('fleetvisord') }, () => {
  let daemon: Daemon | undefined;
  const unix = (): Endpoint => {
    assert.ok(daemon, 'daemon did not start');
    return { path: daemon.sock };
  };
  before(async () => {
    daemon = await startDaemon('fleetvisord', '[program:p]\ncommand=/bin/sleep 1000\n');
  });
  after(() => daemon?.stop());

  async function assertStillServing(): Promise<void> {
    assert.deepEqual(rpcValue(await request(unix(), post('/RPC2', GET_STATE))), RUNNING_STATE);
  }

  test('a billion-laughs document is refused quickly', async () => {
    const started = Date.now();
    const response = await request(unix(), post('/RPC2', BILLION_LAUGHS));
    assertAnswered(response);
    assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    await assertStillServing();
  });

  test('a body over the 16 MiB limit does not disturb the daemon', async () => {
    const big = xmlRpcBody('supervisor.getState', `<param><value><string>${'x'.repeat(17 * 1024 * 1024)}</string></value></param>`);
    // Over the body limit the answer is a 413, but the connection may be
    // closed under the writer first (see the Python client test above).
    const outcome = await request(unix(), post('/RPC2', big)).then(assertAnswered, (err: NodeJS.ErrnoException) => String(err.code));
    assert.ok(['HTTP 413', 'EPIPE', 'ECONNRESET'].includes(outcome), outcome);
    await assertStillServing();
  });

  test('deeply nested arrays are answered', async () => {
    const depth = 40_000; // ≈1.7 MB
    const nested = '<value><array><data>'.repeat(depth) + '</data></array></value>'.repeat(depth);
    const response = await request(unix(), post('/RPC2', xmlRpcBody('supervisor.getState', `<param>${nested}</param>`)));
    assertAnswered(response);
    await assertStillServing();
  });

  test('wrong argument types and unknown methods are faults', async () => {
    const calls: Array<[string, string, number]> = [
      ['supervisor.startProcess', '<param><value><int>5</int></value></param>', 2],
      ['supervisor.getProcessInfo', '<param><value><array><data/></array></value></param>', 2],
      ['supervisor.readProcessStdoutLog', '<param><value>p</value></param><param><value>x</value></param><param><value><int>1</int></value></param>', 2],
      ['supervisor.nosuch', '', 1],
      ['nosuch', '', 1],
    ];
    for (const [method, params, faultCode] of calls) {
      const response = await request(unix(), post('/RPC2', xmlRpcBody(method, params)));
      assert.equal(assertAnswered(response), `fault ${faultCode}`, method);
    }
    await assertStillServing();
  });

  test('a request cut off mid-body does not wedge the server', async () => {
    const body = Buffer.from(GET_STATE);
    const head = `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length + 100}\r\n\r\n`;
    await exchange(unix(), Buffer.concat([Buffer.from(head), body]), 200);
    await assertStillServing();
  });
});
