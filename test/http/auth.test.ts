/** Basic auth on every path, plain and {SHA} passwords (compat spec §3.1, §10 item 36). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { HttpStatusError, XmlRpcClient } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { checkBasicAuth, decodeLenientBase64 } from '../../node-agent/http/auth.js';
import { createHttpServers } from '../../node-agent/http/servers.js';
import { postRaw, rawExchange, recordingLogger, rpcCallBody, runPython, statusOf, testDispatcher } from './helpers.js';

const SHA_OF_SECRET = createHash('sha1').update('s3cret').digest('hex');

async function start(t: { after(fn: () => Promise<void>): void }) {
  const logger = recordingLogger();
  const servers = await createHttpServers({
    dispatcher: testDispatcher,
    logger,
    inet: [
      { section: 'inet_http_server', host: '127.0.0.1', port: 0, username: 'alice', password: 'pa:ss wörd' },
      { section: 'inet_http_server:sha', host: '127.0.0.1', port: 0, username: 'bob', password: `{SHA}${SHA_OF_SECRET}` },
      { section: 'inet_http_server:open', host: '127.0.0.1', port: 0 },
    ],
    registerRoutes: (app) => {
      app.get('/ok.html', (_request, reply) => reply.type('text/plain').send('OK'));
    },
  });
  t.after(() => servers.close());
  const [plain, sha, open] = servers.addresses.map((a) => (a.kind === 'inet' ? a.port : 0));
  return { plain, sha, open, logger };
}

function basic(user: string, password: string): string {
  return `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')}\r\n`;
}

test('without credentials every path is 401 with the realm and Connection: close', async (t) => {
  const { plain } = await start(t);
  for (const request of [postRaw('/RPC2', rpcCallBody('sum')), 'GET /ok.html HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\n']) {
    const raw = await rawExchange({ port: plain }, request);
    assert.match(raw, /^HTTP\/1\.1 401 Unauthorized\r\n/);
    assert.match(raw, /\r\nWWW-Authenticate: Basic realm="default"\r\n/i);
    assert.match(raw, /\r\nConnection: close\r\n/i);
    assert.match(raw, /<p>Error code 401\.\r\n<p>Message: Unauthorized\.\r\n/);
  }
});

test('plain passwords: right ones pass (colon and UTF-8 included), wrong ones are 401', async (t) => {
  const { plain } = await start(t);
  const ok = await rawExchange({ port: plain }, `GET /ok.html HTTP/1.1\r\nHost: x\r\n${basic('alice', 'pa:ss wörd')}Connection: close\r\n\r\n`);
  assert.equal(statusOf(ok), 200);
  assert.ok(ok.endsWith('OK'));
  for (const header of [basic('alice', 'wrong'), basic('mallory', 'pa:ss wörd'), 'Authorization: Digest abc\r\n', 'Authorization: Basic\r\n']) {
    const raw = await rawExchange({ port: plain }, `GET /ok.html HTTP/1.1\r\nHost: x\r\n${header}\r\n`);
    assert.equal(statusOf(raw), 401, header);
  }
});

test('{SHA} passwords accept the plaintext only, not the hash itself', async (t) => {
  const { sha } = await start(t);
  const good = new XmlRpcClient({ url: `http://127.0.0.1:${sha}`, username: 'bob', password: 's3cret' });
  const hashed = new XmlRpcClient({ url: `http://127.0.0.1:${sha}`, username: 'bob', password: `{SHA}${SHA_OF_SECRET}` });
  const hashOnly = new XmlRpcClient({ url: `http://127.0.0.1:${sha}`, username: 'bob', password: SHA_OF_SECRET });
  t.after(() => [good, hashed, hashOnly].forEach((c) => c.close()));
  assert.equal(await good.call('sum', [1, 2]), 3);
  for (const client of [hashed, hashOnly]) {
    await assert.rejects(client.call('sum', [1, 2]), (err: unknown) => {
      assert.ok(err instanceof FleetvisorError && err.code === 'FV_RPC_TRANSPORT');
      assert.ok(err.cause instanceof HttpStatusError);
      assert.equal(err.cause.status, 401);
      return true;
    });
  }
});

test('undecodable base64 credentials are 400, logged at ERRO', async (t) => {
  const { plain, logger } = await start(t);
  const raw = await rawExchange({ port: plain }, 'GET /ok.html HTTP/1.1\r\nHost: x\r\nAuthorization: Basic abc\r\nConnection: close\r\n\r\n');
  assert.equal(statusOf(raw), 400);
  assert.ok(logger.lines.some((l) => l.level === 'ERRO' && l.msg === 'malformed authorization info <Basic abc>'));
});

test('a listener without a username is open, and the CRIT warning names it', async (t) => {
  const { open, logger } = await start(t);
  const raw = await rawExchange({ port: open }, 'GET /ok.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(statusOf(raw), 200);
  const crit = logger.lines.filter((l) => l.level === 'CRIT').map((l) => l.msg);
  assert.deepEqual(crit, ["Server 'inet_http_server:open' running without any HTTP authentication checking"]);
});

test("Python's xmlrpc.client with credentials in the URL; a wrong password is ProtocolError 401", async (t) => {
  const { sha } = await start(t);
  const script = `
import json, sys, xmlrpc.client
out = {'sum': xmlrpc.client.ServerProxy('http://bob:s3cret@' + sys.argv[1] + '/RPC2').sum(20, 22)}
try:
  xmlrpc.client.ServerProxy('http://bob:nope@' + sys.argv[1] + '/RPC2').sum(1, 1)
except xmlrpc.client.ProtocolError as e:
  out['denied'] = [e.errcode, e.errmsg]
print(json.dumps(out))
`;
  assert.deepEqual(await runPython(script, `127.0.0.1:${sha}`), { sum: 42, denied: [401, 'Unauthorized'] });
});

test('base64 is decoded as leniently as Python does', () => {
  assert.equal(decodeLenientBase64('YTpi')?.toString(), 'a:b');
  assert.equal(decodeLenientBase64('Y Tpi!!')?.toString(), 'a:b');
  assert.equal(decodeLenientBase64('YQ==YQ==')?.toString(), 'a');
  assert.equal(decodeLenientBase64('abc'), undefined);
  assert.equal(decodeLenientBase64('YQ='), undefined);
  assert.equal(decodeLenientBase64('Y'), undefined);
  const header = `Basic ${Buffer.from([0x61, 0x3a, 0xff]).toString('base64')}`;
  assert.deepEqual(checkBasicAuth(header, { username: 'a', password: '' }), { kind: 'malformed' });
  assert.deepEqual(checkBasicAuth('Basic YWJj', { username: 'abc', password: '' }), { kind: 'unauthorized' });
});
