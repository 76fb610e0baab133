/** HTTP-level behaviour of the agent's servers: status codes, error pages, garbage, the extra CRLF. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHttpServers } from '../../node-agent/http/servers.js';
import { postRaw, rawExchange, recordingLogger, rpcCallBody, statusOf, testDispatcher } from './helpers.js';

async function start(t: { after(fn: () => Promise<void>): void }, maxBodyBytes?: number) {
  const logger = recordingLogger();
  const servers = await createHttpServers({
    dispatcher: testDispatcher,
    logger,
    maxBodyBytes,
    inet: [{ section: 'inet_http_server', host: '127.0.0.1', port: 0 }],
    registerRoutes: (app) => {
      app.get('/logtail/*', (_request, reply) => reply.type('text/plain').send('tail of x\n'));
    },
  });
  t.after(() => servers.close());
  const address = servers.addresses[0];
  assert.ok(address.kind === 'inet');
  return { port: address.port, logger };
}

const PAGE_400 =
  '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n' +
  '<p>Error code 400.\r\n<p>Message: Bad Request.\r\n</body>\r\n';

async function expectServed(port: number): Promise<void> {
  const raw = await rawExchange({ port }, postRaw('/RPC2', rpcCallBody('sum', '<param><value><int>1</int></value></param><param><value><int>2</int></value></param>')));
  assert.equal(statusOf(raw), 200);
  assert.match(raw, /<int>3<\/int>/);
}

test('GET /RPC2 is 400 with medusa\'s error page and Server header', async (t) => {
  const { port } = await start(t);
  const raw = await rawExchange({ port }, 'GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /\r\nServer: Medusa\/1\.12\r\n/);
  assert.match(raw, /\r\nContent-Type: text\/html\r\n/i);
  assert.match(raw, /\r\nDate: /);
  assert.ok(raw.endsWith(`\r\n\r\n${PAGE_400}`));
});

test('POST without Content-Length (chunked) is 411', async (t) => {
  const { port } = await start(t);
  const body = rpcCallBody('sum');
  const raw = await rawExchange(
    { port },
    `POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
  );
  assert.match(raw, /^HTTP\/1\.1 411 Length Required\r\n/);
  assert.match(raw, /<p>Error code 411\.\r\n<p>Message: Length Required\.\r\n/);
});

test('garbage bodies are 400 and logged at ERRO; the next request is served', async (t) => {
  const { port, logger } = await start(t);
  for (const body of [
    'garbage',
    '',
    '<methodCall><methodName></methodName></methodCall>',
    '<methodCall><methodName>sum</methodName><params><param><value><int>x</int></value></param></params></methodCall>',
    '<methodCall><methodName>sum</methodName><params><param><value><foo>1</foo></value></param></params></methodCall>',
    '<methodCall><methodName>sum</methodName><params>' + '<param><value><array><data>'.repeat(5000),
    '\u0000\u00ff\ufffe<<<>>>',
  ]) {
    const raw = await rawExchange({ port }, postRaw('/RPC2', body));
    assert.equal(statusOf(raw), 400, JSON.stringify(body.slice(0, 40)));
  }
  assert.ok(logger.lines.some((l) => l.level === 'ERRO' && l.msg.startsWith('XML-RPC request data "garbage" is invalid: unmarshallable')));
  await expectServed(port);
});

test('billion laughs is refused with 400 without expanding anything', async (t) => {
  const { port } = await start(t);
  let doctype = '<!DOCTYPE lolz [<!ENTITY lol0 "lol">';
  for (let i = 1; i < 10; i++) doctype += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
  const body = `<?xml version="1.0"?>${doctype}]><methodCall><methodName>echo</methodName><params><param><value><string>&lol9;</string></value></param></params></methodCall>`;
  const raw = await rawExchange({ port }, postRaw('/RPC2', body));
  assert.equal(statusOf(raw), 400);
  await expectServed(port);
});

test('<nil/> in a request is 500 like supervisord; wrong param types give the method\'s fault', async (t) => {
  const { port } = await start(t);
  const nil = await rawExchange({ port }, postRaw('/RPC2', rpcCallBody('echo', '<param><value><nil/></value></param>')));
  assert.equal(statusOf(nil), 500);
  const wrong = await rawExchange({ port }, postRaw('/RPC2', rpcCallBody('sum', '<param><value><string>1</string></value></param><param><value><int>2</int></value></param>')));
  assert.equal(statusOf(wrong), 200);
  assert.match(wrong, /<int>2<\/int><\/value><\/member><member><name>faultString<\/name><value><string>INCORRECT_PARAMETERS</);
  await expectServed(port);
});

test('a body over the limit is 413 and the server carries on', async (t) => {
  const { port } = await start(t, 4096);
  const big = rpcCallBody('echo', `<param><value><string>${'x'.repeat(10_000)}</string></value></param>`);
  const raw = await rawExchange({ port }, postRaw('/RPC2', big));
  assert.match(raw, /^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
  assert.match(raw, /<p>Error code 413\.\r\n<p>Message: Request Entity Too Large\.\r\n/);
  await expectServed(port);
});

test('an odd Content-Type is ignored like supervisord does', async (t) => {
  const { port } = await start(t);
  for (const type of ['application/x-whatever', 'garbage;;;', '']) {
    const body = rpcCallBody('sum', '<param><value><int>1</int></value></param><param><value><int>2</int></value></param>');
    const raw = await rawExchange(
      { port },
      `POST /RPC2 HTTP/1.1\r\nHost: x\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    assert.equal(statusOf(raw), 200, type);
  }
});

test('malformed HTTP gets a 400 page and the server keeps serving', async (t) => {
  const { port } = await start(t);
  const raw = await rawExchange({ port }, 'THIS IS NOT HTTP\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\nServer: Medusa\/1\.12\r\n/);
  assert.ok(raw.endsWith(PAGE_400));
  const huge = await rawExchange({ port }, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
  assert.equal(statusOf(huge), 431);
  await expectServed(port);
});

test('unknown paths are 404 in medusa\'s format', async (t) => {
  const { port } = await start(t);
  const raw = await rawExchange({ port }, 'GET /nothing/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 404 Not Found\r\n/);
  assert.match(raw, /<p>Error code 404\.\r\n<p>Message: Not Found\.\r\n/);
});

test("supervisorctl's tail -f request (extra CRLF, empty Host) is served, and the connection stays usable", async (t) => {
  const { port } = await start(t);
  const request =
    'GET /logtail/grp:manual HTTP/1.1\r\nHost: \r\nAccept-Encoding: chunked\r\nUser-agent: Supervisor HTTP Client\r\n\r\n\r\n';
  const raw = await rawExchange({ port }, request + 'GET /logtail/second HTTP/1.1\r\nHost: x\r\n\r\n');
  const responses = raw.split(/(?=HTTP\/1\.1 )/);
  assert.equal(responses.length, 2, raw);
  for (const response of responses) {
    assert.equal(statusOf(response), 200);
    assert.match(response, /Server: Medusa\/1\.12/);
    assert.ok(response.endsWith('tail of x\n'));
  }
});

test('keep-alive: several calls share one connection; access lines are logged at TRAC', async (t) => {
  const { port, logger } = await start(t);
  const one = rpcCallBody('sum', '<param><value><int>1</int></value></param><param><value><int>1</int></value></param>');
  const request = `POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${one.length}\r\n\r\n${one}`;
  const raw = await rawExchange({ port }, request + request + request);
  assert.equal(raw.match(/HTTP\/1\.1 200 OK/g)?.length, 3);
  assert.doesNotMatch(raw, /Connection: close/);
  assert.ok(logger.lines.some((l) => l.level === 'TRAC' && /"POST \/RPC2 HTTP\/1\.1" 200 \d+/.test(l.msg)));
});
