import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultHubConfig } from '../../hub/config.js';
import { startHub } from '../../hub/hub.js';
import { api, login, SseReader } from './helpers.js';

describe('hub restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-hubrestart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const config = { ...defaultHubConfig(dir), listen: { host: '127.0.0.1', port: 0 } };

  it('makes the first admin once, with a generated password, and closes operations a stopped hub left running', async () => {
    const first = await startHub({ config, adminPassword: '' });
    assert.equal(first.firstAdmin?.generated, true);
    const password = first.firstAdmin!.password;
    assert.ok(password.length >= 16);
    const id = first.store.ops.start({ user: 'admin', action: 'restart', mode: 'rolling', selectors: ['*/web'] });
    // Written the way hubs before supervisorctl-style namespecs wrote it.
    first.store.ops.recordTarget(id, { agent: 'h1', process: 'web:web', result: 'ok', message: 'restarted', time: Date.now() });
    await first.close();

    const second = await startHub({ config, adminPassword: 'ignored-now' });
    try {
      assert.equal(second.firstAdmin, undefined);
      const auth = { token: (await login(second.url, 'admin', password)).token };
      const record = await api(second.url, 'GET', `/api/v1/operations/${id}`, { auth });
      assert.equal(record.body.status, 'cancelled');
      assert.deepEqual(record.body.counts, { total: 1, ok: 1, failed: 0, skipped: 0 });
      assert.equal(record.body.targets[0].process, 'web', 'an old `web:web` row reads as supervisorctl names it');
      const progress = await SseReader.open(`${second.url}/api/v1/operations/${id}/events`, auth);
      await progress.untilEnded();
      assert.deepEqual(progress.messages.map((m) => `${m.event}:${m.data.namespec}:${m.data.status}`), ['target:web:ok', 'done:undefined:cancelled']);
    } finally {
      await second.close();
    }
  });
});
