/** Binding like supervisord: stale sockets, a port or socket already in use, cleanup on close. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { XmlRpcClient } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { ADDRESS_IN_USE_MESSAGE } from '../../node-agent/http/bind.js';
import { createHttpServers, type HttpServersOptions } from '../../node-agent/http/servers.js';
import { recordingLogger, runPython, tempDir, testDispatcher } from './helpers.js';

function options(extra: Partial<HttpServersOptions>): HttpServersOptions & { stderr: string[] } {
  const stderr: string[] = [];
  return { dispatcher: testDispatcher, logger: recordingLogger(), writeStderr: (s) => void stderr.push(s), stderr, ...extra };
}

function isBindError(message: string) {
  return (err: unknown): boolean => err instanceof FleetvisorError && err.code === 'FV_BIND' && err.message === message;
}

test('the unix socket gets its mode, answers, and is removed on close', async (t) => {
  const file = path.join(tempDir(t), 'fv.sock');
  const servers = await createHttpServers(options({ unix: [{ section: 'unix_http_server', file, chmod: 0o766 }] }));
  const stat = fs.statSync(file);
  assert.ok(stat.isSocket());
  assert.equal(stat.mode & 0o777, 0o766);
  assert.ok(!fs.existsSync(`${file}.${process.pid}`));
  const client = new XmlRpcClient({ url: `unix://${file}` });
  assert.equal(await client.call('sum', [1, 2]), 3);
  client.close();
  await servers.close();
  assert.ok(!fs.existsSync(file));
});

test('a stale socket file is reported on stderr and replaced', async (t) => {
  const file = path.join(tempDir(t), 'stale.sock');
  await runPython('import socket, sys, json; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); print(json.dumps(1))', file);
  assert.ok(fs.statSync(file).isSocket());
  const opts = options({ unix: [{ section: 'unix_http_server', file, chmod: 0o700 }] });
  const servers = await createHttpServers(opts);
  t.after(() => servers.close());
  assert.deepEqual(opts.stderr, [`Unlinking stale socket ${file}\n`]);
  const client = new XmlRpcClient({ url: `unix://${file}` });
  assert.equal(await client.call('sum', [2, 2]), 4);
  client.close();
});

test('a socket another server answers on is FV_BIND with supervisord\'s message, and is left alone', async (t) => {
  const file = path.join(tempDir(t), 'busy.sock');
  const first = await createHttpServers(options({ unix: [{ section: 'unix_http_server', file, chmod: 0o700 }] }));
  t.after(() => first.close());
  const second = options({ unix: [{ section: 'unix_http_server', file, chmod: 0o700 }] });
  await assert.rejects(createHttpServers(second), isBindError(ADDRESS_IN_USE_MESSAGE));
  assert.deepEqual(second.stderr, []);
  assert.ok(!fs.existsSync(`${file}.${process.pid}`));
  const client = new XmlRpcClient({ url: `unix://${file}` });
  assert.equal(await client.call('sum', [3, 3]), 6);
  client.close();
});

test('a TCP port in use is FV_BIND with the same message; sockets bound before it are cleaned up', async (t) => {
  const dir = tempDir(t);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  const file = path.join(dir, 'first.sock');
  await assert.rejects(
    createHttpServers(
      options({
        unix: [{ section: 'unix_http_server', file, chmod: 0o700 }],
        inet: [{ section: 'inet_http_server', host: '127.0.0.1', port }],
      }),
    ),
    isBindError(ADDRESS_IN_USE_MESSAGE),
  );
  assert.ok(!fs.existsSync(file));
});

test('other bind failures name the errno the way supervisord does', async (t) => {
  const file = path.join(tempDir(t), 'no', 'such', 'dir.sock');
  await assert.rejects(
    createHttpServers(options({ unix: [{ section: 'unix_http_server', file, chmod: 0o700 }] })),
    isBindError('Cannot open an HTTP server: socket.error reported errno.ENOENT (2)'),
  );
});

test('close() lets a call in flight finish within the grace period', async (t) => {
  const file = path.join(tempDir(t), 'grace.sock');
  let release!: () => void;
  const servers = await createHttpServers(
    options({
      unix: [{ section: 'unix_http_server', file, chmod: 0o700 }],
      dispatcher: { call: () => new Promise((resolve) => (release = () => resolve('done'))) },
    }),
  );
  const client = new XmlRpcClient({ url: `unix://${file}` });
  t.after(() => client.close());
  const pending = client.call('slow');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closing = servers.close(5000);
  assert.ok(!fs.existsSync(file));
  release();
  assert.equal(await pending, 'done');
  await closing;
});
