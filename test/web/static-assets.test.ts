import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { FakeDispatcher, FakeSupervisor, request, startWebApp, type WebApp } from './fake-supervisor.js';

let web: WebApp;
before(async () => {
  web = await startWebApp(new FakeSupervisor([]), new FakeDispatcher());
});
after(() => web.close());

async function fetchBytes(path: string, init?: RequestInit): Promise<{ res: Response; bytes: Buffer }> {
  const res = await fetch(web.base + path, init);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Decode the trivial-LZW GIFs we generate enough to count pixels (clear code before every pixel). */
function gifPixelCount(bytes: Buffer): number {
  let at = 13 + 12 + 10; // header+screen, 4-entry palette, image descriptor
  assert.equal(bytes[at++], 2, 'LZW minimum code size');
  const data: number[] = [];
  while (bytes[at] !== 0) {
    const len = bytes[at];
    data.push(...bytes.subarray(at + 1, at + 1 + len));
    at += len + 1;
  }
  assert.equal(bytes[at + 1], 0x3b, 'trailer');
  let pixels = 0;
  let bit = 0;
  for (;;) {
    const code = (data[bit >> 3] | (data[(bit >> 3) + 1] << 8)) >> (bit & 7) & 7;
    bit += 3;
    if (code === 5) return pixels;
    if (code < 4) pixels++;
  }
}

describe('static assets', () => {
  test('the stylesheet is text/css and styles the status classes', async () => {
    const { res, bytes } = await fetchBytes('/stylesheets/supervisor.css');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/css');
    assert.ok(res.headers.get('last-modified'));
    const css = bytes.toString('utf8');
    for (const cls of ['.statusrunning', '.statuserror', '.statusnominal', '.hidden', '.status_msg']) assert.ok(css.includes(cls), cls);
  });

  test('icon.png is a valid 16x16 RGBA PNG', async () => {
    const { res, bytes } = await fetchBytes('/images/icon.png');
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.equal(bytes.readUInt32BE(16), 16);
    assert.equal(bytes.readUInt32BE(20), 16);
    const idatAt = bytes.indexOf('IDAT');
    const raw = inflateSync(bytes.subarray(idatAt + 4, idatAt + 4 + bytes.readUInt32BE(idatAt - 4)));
    assert.equal(raw.length, 16 * (1 + 16 * 4));
  });

  test('every gif is a GIF89a whose pixel data covers its size', async () => {
    for (const name of ['rule.gif', 'state0.gif', 'state1.gif', 'state2.gif', 'state3.gif', 'supervisor.gif']) {
      const { res, bytes } = await fetchBytes(`/images/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get('content-type'), 'image/gif', name);
      assert.equal(bytes.subarray(0, 6).toString('latin1'), 'GIF89a', name);
      const width = bytes.readUInt16LE(6);
      const height = bytes.readUInt16LE(8);
      assert.equal(gifPixelCount(bytes), width * height, name);
    }
  });

  test('HEAD works, other methods are 400, unknown files 404', async () => {
    const head = await request(web.base, '/images/state1.gif', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], 'image/gif');
    assert.equal(head.body, '');
    assert.equal((await request(web.base, '/stylesheets/supervisor.css', { method: 'POST', body: 'x' })).status, 400);
    assert.equal((await request(web.base, '/images/icon.png', { method: 'PUT' })).status, 400);
    const missing = await request(web.base, '/images/nope.gif');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /Error code 404\./);
    assert.equal((await request(web.base, '/stylesheets/other.css')).status, 404);
  });

  test('If-Modified-Since at or after the asset date gives 304', async () => {
    const first = await request(web.base, '/images/icon.png');
    const lastModified = String(first.headers['last-modified']);
    const again = await request(web.base, '/images/icon.png', { headers: { 'if-modified-since': lastModified } });
    assert.equal(again.status, 304);
    const older = await request(web.base, '/images/icon.png', { headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } });
    assert.equal(older.status, 200);
  });
});
