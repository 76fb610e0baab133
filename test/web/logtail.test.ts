import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRUNCATED_NOTICE } from '../../node-agent/http/web/logtail-stream.js';
import { FakeDispatcher, FakeSupervisor, request, startWebApp, type WebApp } from './fake-supervisor.js';

let dir: string;
let web: WebApp;
let mainLog: string | undefined;
const paths = {
  out: '',
  err: '',
  big: '',
  missing: '',
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fv-web-logtail-'));
  paths.out = join(dir, 'app-stdout.log');
  paths.err = join(dir, 'app-stderr.log');
  paths.big = join(dir, 'big.log');
  paths.missing = join(dir, 'never-created.log');
  writeFileSync(paths.out, 'hello\n');
  writeFileSync(paths.err, '');
  writeFileSync(paths.big, 'a'.repeat(3000) + 'b'.repeat(1024));
  mainLog = join(dir, 'supervisord.log');
  writeFileSync(mainLog, '2026-11-24 03:00:00,000 INFO supervisord started with pid 1\n');
  const supervisor = new FakeSupervisor([
    { group: 'grp', name: 'app', state: 'RUNNING', stdout: paths.out, stderr: paths.err },
    { group: 'big', name: 'big', state: 'RUNNING', stdout: paths.big },
    { group: 'grp', name: 'nolog', state: 'STOPPED' },
    { group: 'ghost', name: 'ghost', state: 'STOPPED', stdout: paths.missing },
  ]);
  web = await startWebApp(supervisor, new FakeDispatcher(), () => mainLog);
});
after(async () => {
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A streaming GET that collects the body as it arrives. */
class TailClient {
  readonly chunks: Buffer[] = [];
  response!: http.IncomingMessage;
  readonly ready: Promise<http.IncomingMessage>;
  readonly req: http.ClientRequest;
  #waiters: Array<() => void> = [];

  constructor(path: string, base = web.base) {
    this.req = http.get(`${base}${path}`);
    this.ready = new Promise((resolve, reject) => {
      this.req.on('response', (res) => {
        this.response = res;
        res.on('data', (c: Buffer) => {
          this.chunks.push(c);
          for (const w of this.#waiters.splice(0)) w();
        });
        resolve(res);
      });
      this.req.on('error', reject);
    });
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** Resolve once the received text satisfies `ok` (fails after 3 s). */
  async waitFor(ok: (text: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + 3000;
    while (!ok(this.text)) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.text;
  }

  close(): void {
    this.req.destroy();
  }
}

/** Files of `folder` this process holds open, and inotify watches on `folder` itself (Linux /proc). */
function holdsOn(folder: string): { openFiles: number; watches: number } {
  let openFiles = 0;
  let watches = 0;
  const inode = statSync(folder).ino.toString(16);
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target.startsWith(`${folder}/`)) openFiles++;
    if (target === 'anon_inode:inotify') {
      const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
      watches += [...info.matchAll(/^inotify wd:\S+ ino:(\S+)/gm)].filter((m) => m[1] === inode).length;
    }
  }
  return { openFiles, watches };
}

async function until(ok: () => boolean, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('/logtail', () => {
  test('streams chunked text with the supervisord headers, then follows appends', async () => {
    const client = new TailClient('/logtail/grp:app');
    const res = await client.ready;
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain;charset=utf-8');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['x-accel-buffering'], 'no');
    assert.match(String(res.headers['last-modified']), /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    await client.waitFor((t) => t === 'hello\n', 'the existing content');
    appendFileSync(paths.out, 'second line\n');
    await client.waitFor((t) => t === 'hello\nsecond line\n', 'the appended line');
    appendFileSync(paths.out, 'third\n');
    await client.waitFor((t) => t.endsWith('third\n'), 'another append');
    client.close();
    await until(() => web.routes.activeTails() === 0, 'the tail to close');
  });

  test('starts with the last 1024 bytes of a longer file', async () => {
    const client = new TailClient('/logtail/big/stdout');
    await client.waitFor((t) => t.length >= 1024, '1024 bytes');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(client.text, 'b'.repeat(1024));
    client.close();
    await until(() => web.routes.activeTails() === 0, 'the tail to close');
  });

  test('stderr channel: sends headers at once even for an empty file', async () => {
    const client = new TailClient('/logtail/grp%3Aapp/stderr');
    const res = await client.ready;
    assert.equal(res.statusCode, 200);
    assert.equal(client.text, '');
    appendFileSync(paths.err, 'oops\n');
    await client.waitFor((t) => t === 'oops\n', 'stderr output');
    client.close();
    await until(() => web.routes.activeTails() === 0, 'the tail to close');
  });

  test('follows a rotation: rest of the old file, then the new file from its start', async () => {
    const path = join(dir, 'rotating.log');
    writeFileSync(path, 'old-1\n');
    const sup = new FakeSupervisor([{ group: 'rot', name: 'rot', state: 'RUNNING', stdout: path }]);
    const own = await startWebApp(sup, new FakeDispatcher());
    try {
      const client = new TailClient('/logtail/rot', own.base);
      await client.ready;
      const text = () => client.text;
      await until(() => text() === 'old-1\n', 'the first content');
      // A writer appends to the old file and rotates it away (like log → log.1) before we look again.
      appendFileSync(path, 'old-2\n');
      renameSync(path, `${path}.1`);
      writeFileSync(path, 'new-1\n');
      await until(() => text() === 'old-1\nold-2\nnew-1\n', () => `rotation (got ${JSON.stringify(text())})`);
      appendFileSync(path, 'new-2\n');
      appendFileSync(`${path}.1`, 'stale\n');
      await until(() => text().endsWith('new-2\n'), 'appends to the new file');
      assert.doesNotMatch(text(), /stale/);
      client.close();
      await until(() => own.routes.activeTails() === 0, 'the tail to close');
    } finally {
      await own.close();
    }
  });

  test('a file that shrinks gets the truncation notice, then its new content', async () => {
    const path = join(dir, 'truncating.log');
    writeFileSync(path, 'x'.repeat(100) + '\n');
    const sup = new FakeSupervisor([{ group: 't', name: 't', state: 'RUNNING', stdout: path }]);
    const own = await startWebApp(sup, new FakeDispatcher());
    try {
      const client = new TailClient('/logtail/t', own.base);
      await client.ready;
      const text = () => client.text;
      await until(() => text().length === 101, 'the first content');
      truncateSync(path, 0);
      await until(() => text().endsWith(TRUNCATED_NOTICE), 'the truncation notice');
      appendFileSync(path, 'fresh\n');
      await until(() => text() === 'x'.repeat(100) + '\n' + TRUNCATED_NOTICE + 'fresh\n', () => `fresh content (got ${JSON.stringify(text())})`);
      client.close();
    } finally {
      await own.close();
    }
  });

  test('a cleared log (deleted and recreated) is followed into the new file', async () => {
    const client = new TailClient('/logtail/grp:app');
    await client.waitFor((t) => t.endsWith('third\n'), 'existing content');
    unlinkSync(paths.out);
    await new Promise((r) => setTimeout(r, 30));
    writeFileSync(paths.out, 'after clear\n');
    await client.waitFor((t) => t.endsWith('third\nafter clear\n'), 'the recreated file');
    client.close();
    await until(() => web.routes.activeTails() === 0, 'the tail to close');
  });

  test('404 for an unknown process, a NONE log, a missing file, a bad channel', async () => {
    for (const path of ['/logtail/nosuch', '/logtail/grp:nolog', '/logtail/grp:nolog/stderr', '/logtail/big/stderr', '/logtail/ghost', '/logtail/grp:app/bogus', '/logtail/grp:*', '/logtail/app', '/logtail/', '/logtail']) {
      const res = await request(web.base, path);
      assert.equal(res.status, 404, path);
      assert.match(res.body, /Error code 404\./, path);
    }
    assert.equal(web.routes.activeTails(), 0);
  });

  test('methods other than GET get 400', async () => {
    for (const method of ['POST', 'HEAD', 'PUT']) {
      const res = await request(web.base, '/logtail/grp:app', { method, body: method === 'HEAD' ? undefined : 'x' });
      assert.equal(res.status, 400, method);
    }
    assert.equal((await request(web.base, '/mainlogtail', { method: 'POST', body: 'x' })).status, 400);
  });

  test('a client that goes away leaves no tail behind, even with writes still coming', async () => {
    const clients = [new TailClient('/logtail/grp:app'), new TailClient('/logtail/grp:app/stderr'), new TailClient('/mainlogtail')];
    await Promise.all(clients.map((c) => c.ready));
    await until(() => web.routes.activeTails() === 3, 'three tails');
    const holding = holdsOn(dir);
    assert.equal(holding.openFiles, 3);
    assert.ok(holding.watches >= 1, 'the log folder is watched');
    for (const c of clients) c.close();
    appendFileSync(paths.out, 'more\n');
    await until(() => web.routes.activeTails() === 0, 'every tail closed');
    await until(() => holdsOn(dir).openFiles === 0, 'log files closed');
    await until(() => holdsOn(dir).watches === 0, () => `folder watches removed (${JSON.stringify(holdsOn(dir))})`);
  });

  test('closing the server ends open tails instead of hanging', async () => {
    const path = join(dir, 'closing.log');
    writeFileSync(path, 'x\n');
    const own = await startWebApp(new FakeSupervisor([{ group: 'c', name: 'c', state: 'RUNNING', stdout: path }]), new FakeDispatcher());
    const req = http.get(`${own.base}/logtail/c`);
    const ended = new Promise<void>((resolve) => req.on('response', (res) => {
      res.resume();
      res.on('end', resolve);
    }));
    await until(() => own.routes.activeTails() === 1, 'the tail');
    await own.close();
    await ended;
    assert.equal(own.routes.activeTails(), 0);
  });
});

describe('/mainlogtail', () => {
  test('streams the main log without X-Accel-Buffering and follows it', async () => {
    const client = new TailClient('/mainlogtail');
    const res = await client.ready;
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain;charset=utf-8');
    assert.equal(res.headers['x-accel-buffering'], undefined);
    assert.ok(res.headers['last-modified']);
    await client.waitFor((t) => t.includes('supervisord started with pid 1\n'), 'the main log');
    appendFileSync(String(mainLog), '2026-11-24 03:00:01,000 INFO spawned: x\n');
    await client.waitFor((t) => t.endsWith('spawned: x\n'), 'a new main log line');
    client.close();
    await until(() => web.routes.activeTails() === 0, 'the tail to close');
  });

  test('404 when the main log is not a file or does not exist', async () => {
    const saved = mainLog;
    try {
      mainLog = undefined;
      assert.equal((await request(web.base, '/mainlogtail')).status, 404);
      mainLog = join(dir, 'nope.log');
      assert.equal((await request(web.base, '/mainlogtail')).status, 404);
    } finally {
      mainLog = saved;
    }
  });
});
