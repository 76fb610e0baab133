/** /RPC2 over TCP and a unix socket, checked with our client and with Python's xmlrpc.client. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { XmlRpcClient } from '../../node-agent/api/client.js';
import { RpcFault } from '../../node-agent/api/faults.js';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { createHttpServers, type HttpServers } from '../../node-agent/http/servers.js';
import {
  postRaw,
  rawExchange,
  recordingLogger,
  rpcCallBody,
  runPython,
  statusOf,
  tempDir,
  testDispatcher,
} from './helpers.js';

async function start(t: Parameters<typeof tempDir>[0] & { after(fn: () => Promise<void> | void): void }) {
  const dir = tempDir(t);
  const logger = recordingLogger();
  const file = path.join(dir, 'supervisor.sock');
  const servers: HttpServers = await createHttpServers({
    dispatcher: testDispatcher,
    logger,
    unix: [{ section: 'unix_http_server', file, chmod: 0o700 }],
    inet: [{ section: 'inet_http_server', host: '127.0.0.1', port: 0 }],
  });
  t.after(() => servers.close());
  const inet = servers.addresses.find((a) => a.kind === 'inet');
  assert.ok(inet?.kind === 'inet');
  return { servers, logger, file, port: inet.port };
}

const sample: XmlRpcValue = {
  int: 7,
  negative: -42,
  yes: true,
  no: false,
  text: 'ünïcødé <tag> & "quotes" 😀\nline',
  double: 2.5,
  list: [1, 'two', [3.5, false]],
  nested: { a: { b: ['c'] }, empty: {} },
  bytes: Buffer.from([0, 1, 2, 253, 254, 255]),
  when: new Date(Date.UTC(2024, 1, 29, 23, 59, 58)),
};

test('our client: values round-trip over TCP and over the unix socket', async (t) => {
  const { port, file } = await start(t);
  for (const url of [`http://127.0.0.1:${port}`, `unix://${file}`]) {
    const client = new XmlRpcClient({ url });
    t.after(() => client.close());
    assert.deepEqual(await client.call('echo', [sample, 'x']), [sample, 'x']);
    assert.equal(await client.call<number>('sum', [2, 40]), 42);
    assert.deepEqual(await client.call('types', [1, 1.5, true, 's', Buffer.from('b'), new Date(0), [], {}]), [
      'int', 'double', 'boolean', 'string', 'base64', 'dateTime', 'array', 'struct',
    ]);
  }
});

test('each listener reports its own section as CallContext.server', async (t) => {
  const { port, file } = await start(t);
  const tcp = new XmlRpcClient({ url: `http://127.0.0.1:${port}` });
  const unix = new XmlRpcClient({ url: `unix://${file}` });
  t.after(() => (tcp.close(), unix.close()));
  assert.equal(await tcp.call('context'), 'inet_http_server');
  assert.equal(await unix.call('context'), 'unix_http_server');
});

test('faults arrive as RpcFault with code and string; HTTP status stays 200', async (t) => {
  const { port, logger } = await start(t);
  const client = new XmlRpcClient({ url: `http://127.0.0.1:${port}` });
  t.after(() => client.close());
  await assert.rejects(client.call('fault', ['BAD_NAME', 'foo:bar']), (err: unknown) => {
    assert.ok(err instanceof RpcFault);
    assert.equal(err.faultCode, 10);
    assert.equal(err.faultString, 'BAD_NAME: foo:bar');
    return true;
  });
  const raw = await rawExchange({ port }, postRaw('/RPC2', rpcCallBody('nosuch')));
  assert.equal(statusOf(raw), 200);
  assert.match(raw, /\r\nContent-Type: text\/xml\r\n/i);
  assert.match(raw, /<name>faultCode<\/name><value><int>1<\/int>/);
  assert.ok(logger.lines.some((l) => l.level === 'TRAC' && l.msg === 'XML-RPC method called: nosuch()'));
  assert.ok(logger.lines.some((l) => l.level === 'TRAC' && /returned fault: \[1\] UNKNOWN_METHOD/.test(l.msg)));
});

test('a plain exception or an unmarshallable result is HTTP 500, and the server carries on', async (t) => {
  const { port, logger } = await start(t);
  for (const method of ['boom', 'nil']) {
    const raw = await rawExchange({ port }, postRaw('/RPC2', rpcCallBody(method)));
    assert.equal(statusOf(raw), 500);
    assert.match(raw, /<p>Error code 500\.\r\n<p>Message: Internal Server Error\.\r\n/);
    assert.doesNotMatch(raw, /<nil/);
  }
  assert.ok(logger.lines.some((l) => l.level === 'ERRO' && l.msg.includes('boom')));
  assert.equal(statusOf(await rawExchange({ port }, postRaw('/RPC2', rpcCallBody('sum', '<param><value><int>1</int></value></param><param><value><int>2</int></value></param>')))), 200);
});

test('any path starting with /RPC2 is the RPC endpoint; OK replies are text/xml with Content-Length', async (t) => {
  const { port } = await start(t);
  for (const url of ['/RPC2', '/RPC2xyz', '/RPC2/deeper', '/RPC2?q=1']) {
    const raw = await rawExchange({ port }, postRaw(url, rpcCallBody('echo', '<param><value><string>hi</string></value></param>')));
    assert.equal(statusOf(raw), 200, url);
    assert.match(raw, /\r\nServer: Medusa\/1\.12\r\n/);
    assert.match(raw, /\r\nContent-Type: text\/xml\r\n/i);
    assert.match(raw, /\r\nContent-Length: \d+\r\n/i);
    assert.match(raw, /<string>hi<\/string>/);
  }
});

const PYTHON_ROUND_TRIP = `
import json, sys, xmlrpc.client
p = xmlrpc.client.ServerProxy(sys.argv[1])
sample = {
  'int': 7, 'negative': -42, 'yes': True, 'no': False,
  'text': 'ünïcødé <tag> & "quotes" \\U0001F600\\nline', 'double': 2.5,
  'list': [1, 'two', [3.5, False]], 'nested': {'a': {'b': ['c']}, 'empty': {}},
  'bytes': xmlrpc.client.Binary(bytes([0, 1, 2, 253, 254, 255])),
  'when': xmlrpc.client.DateTime('20240229T23:59:58'),
}
out = {}
echoed = p.echo(sample)[0]
out['same'] = {k: echoed[k] == sample[k] for k in sample}
out['types'] = p.types(1, 1.5, True, 's', xmlrpc.client.Binary(b'b'), xmlrpc.client.DateTime('20240101T00:00:00'), [], {})
out['sum'] = p.sum(2, 40)
out['i8'] = p.sum(2000000000, 2000000000)
try:
  p.fault('NO_FILE', "can't find command '/x'")
except xmlrpc.client.Fault as f:
  out['fault'] = [f.faultCode, f.faultString]
try:
  p.boom()
except xmlrpc.client.ProtocolError as e:
  out['boom'] = e.errcode
out['after'] = p.sum(1, 1)
print(json.dumps(out))
`;

test("Python's xmlrpc.client: values, faults and errors round-trip", async (t) => {
  const { port } = await start(t);
  const out = (await runPython(PYTHON_ROUND_TRIP, `http://127.0.0.1:${port}/RPC2`)) as Record<string, unknown>;
  assert.deepEqual(out.same, Object.fromEntries(Object.keys(sample).map((k) => [k, true])));
  assert.deepEqual(out.types, ['int', 'double', 'boolean', 'string', 'base64', 'dateTime', 'array', 'struct']);
  assert.equal(out.sum, 42);
  assert.equal(out.i8, 4000000000);
  assert.deepEqual(out.fault, [20, "NO_FILE: can't find command '/x'"]);
  assert.equal(out.boom, 500);
  assert.equal(out.after, 2);
});
