import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from './helpers.js';

function request(url: string, method: string, body?: unknown): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, rejectUnauthorized: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('hub API over TLS (hub.ini tls_cert, tls_key)', () => {
  let hub: TestHub;

  before(async () => {
    hub = await startTestHub([]);
    const cert = join(hub.dir, 'cert.pem');
    const key = join(hub.dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    await hub.hub.close();
    const dir = hub.dir;
    hub = await startTestHub([], { tls: { cert, key } });
    // The first hub's temp dir holds the key pair; remove it with the second.
    const stop = hub.stop;
    hub.stop = async () => {
      await stop();
      (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
    };
  });
  after(async () => hub?.stop());

  it('serves https only, with Secure cookies', async () => {
    assert.match(hub.url, /^https:\/\//);
    assert.equal((await request(`${hub.url}/healthz`, 'GET')).text, 'ok');
    const login = await request(`${hub.url}/api/v1/auth/login`, 'POST', { username: 'admin', password: ADMIN_PASSWORD });
    assert.equal(login.status, 200);
    for (const cookie of login.headers['set-cookie'] as string[]) assert.match(cookie, /; Secure/);
    await assert.rejects(fetch(`${hub.url.replace('https:', 'http:')}/healthz`));
  });
});
