/** XmlRpcClient against small hand-made servers: transport errors, timeouts, headers, keep-alive. */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { HttpStatusError, XmlRpcClient } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { serializeMethodResponse } from '../../node-agent/api/xmlrpc-serialize.js';
import { tempDir } from '../http/helpers.js';

function transportError(check: (cause: unknown) => void = () => {}) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof FleetvisorError, String(err));
    assert.equal(err.code, 'FV_RPC_TRANSPORT');
    check(err.cause);
    return true;
  };
}

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function serve(t: { after(fn: () => void): void }, listenOn: number | string, handler: Handler) {
  const connections: net.Socket[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  server.on('connection', (socket) => connections.push(socket));
  await new Promise<void>((resolve) =>
    typeof listenOn === 'number' ? server.listen(listenOn, '127.0.0.1', resolve) : server.listen(listenOn, resolve),
  );
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, connections, port: typeof listenOn === 'number' ? (server.address() as net.AddressInfo).port : 0 };
}

test('over a unix socket the client sends Host: localhost, POST /RPC2, text/xml and Basic auth', async (t) => {
  const file = path.join(tempDir(t), 'c.sock');
  const seen: http.IncomingHttpHeaders[] = [];
  let seenPath = '';
  await serve(t, file, (req, _body, res) => {
    seen.push(req.headers);
    seenPath = `${req.method} ${req.url}`;
    res.setHeader('Content-Type', 'text/xml');
    res.end(serializeMethodResponse('3.0'));
  });
  const client = new XmlRpcClient({ url: `unix://${file}`, username: 'u', password: 'p' });
  t.after(() => client.close());
  assert.equal(await client.call('supervisor.getVersion'), '3.0');
  assert.equal(seenPath, 'POST /RPC2');
  assert.equal(seen[0].host, 'localhost');
  assert.equal(seen[0]['content-type'], 'text/xml');
  assert.equal(seen[0].authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
});

test('calls reuse one keep-alive connection; a URL path is used as the endpoint', async (t) => {
  const paths: string[] = [];
  const { connections, port } = await serve(t, 0, (req, _body, res) => {
    paths.push(req.url ?? '');
    res.end(serializeMethodResponse(true));
  });
  const client = new XmlRpcClient({ url: `http://127.0.0.1:${port}/custom` });
  t.after(() => client.close());
  for (let i = 0; i < 5; i++) assert.equal(await client.call('x'), true);
  assert.equal(connections.length, 1);
  assert.deepEqual(new Set(paths), new Set(['/custom']));
});

test('a server that never answers times out per call', async (t) => {
  const { port } = await serve(t, 0, () => {});
  const client = new XmlRpcClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
  t.after(() => client.close());
  const started = Date.now();
  await assert.rejects(client.call('x', [], { timeoutMs: 150 }), transportError());
  assert.ok(Date.now() - started < 2000);
});

test('refused connections and missing socket files keep their errno as the cause', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  await new Promise((resolve) => blocker.close(resolve));
  const refused = new XmlRpcClient({ url: `http://127.0.0.1:${port}` });
  const missing = new XmlRpcClient({ url: `unix://${path.join(tempDir(t), 'none.sock')}` });
  t.after(() => (refused.close(), missing.close()));
  await assert.rejects(refused.call('x'), transportError((cause) => assert.equal((cause as NodeJS.ErrnoException).code, 'ECONNREFUSED')));
  await assert.rejects(missing.call('x'), transportError((cause) => assert.equal((cause as NodeJS.ErrnoException).code, 'ENOENT')));
});

test('non-200 statuses and unparsable bodies are transport errors', async (t) => {
  const { port } = await serve(t, 0, (req, body, res) => {
    if (body.includes('denied')) {
      res.writeHead(401, 'Unauthorized').end('no');
    } else if (body.includes('garbage')) {
      res.end('<html>not xml-rpc</html>');
    } else {
      res.end(serializeMethodResponse('x'.repeat(10_000)));
    }
  });
  const client = new XmlRpcClient({ url: `http://127.0.0.1:${port}`, maxResponseBytes: 1000 });
  t.after(() => client.close());
  await assert.rejects(
    client.call('denied'),
    transportError((cause) => {
      assert.ok(cause instanceof HttpStatusError);
      assert.equal(cause.status, 401);
      assert.equal(cause.statusMessage, 'Unauthorized');
    }),
  );
  await assert.rejects(client.call('garbage'), transportError());
  await assert.rejects(client.call('big'), transportError());
});

test('bad URLs are refused when the client is built', () => {
  assert.throws(() => new XmlRpcClient({ url: 'ftp://x' }), (err: unknown) => err instanceof FleetvisorError && err.code === 'FV_USAGE');
  assert.throws(() => new XmlRpcClient({ url: 'not a url' }), (err: unknown) => err instanceof FleetvisorError);
});
