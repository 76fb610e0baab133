import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, api, login, startTestHub, type TestHub } from './helpers.js';

describe('hub API auth', () => {
  let hub: TestHub;
  let admin: Awaited<ReturnType<typeof login>>;

  before(async () => {
    hub = await startTestHub([]);
    admin = await login(hub.url, 'admin', ADMIN_PASSWORD);
  });
  after(async () => hub?.stop());

  it('makes the first admin with the given password, stored as an scrypt hash', () => {
    assert.equal(hub.hub.firstAdmin?.name, 'admin');
    assert.equal(hub.hub.firstAdmin?.generated, false);
    const row = hub.hub.store.db.prepare("SELECT password_hash FROM users WHERE name = 'admin'").get() as { password_hash: string };
    assert.match(row.password_hash, /^scrypt\$/);
    assert.ok(!row.password_hash.includes(ADMIN_PASSWORD));
  });

  it('answers 401 with an error body without or with a bad credential', async () => {
    const none = await api(hub.url, 'GET', '/api/v1/agents');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'FV_API_UNAUTHORIZED');
    assert.equal((await api(hub.url, 'GET', '/api/v1/agents', { auth: { token: 'fvh_nope' } })).status, 401);
    assert.equal((await api(hub.url, 'GET', '/api/v1/agents', { auth: { token: 'fvs_nope' } })).status, 401);
    const wrong = await api(hub.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-password' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(Object.keys(wrong.body), ['error']);
  });

  it('login sets an HttpOnly session cookie and a readable CSRF cookie', async () => {
    const answer = await api(hub.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    const cookies = answer.headers['set-cookie'] as string[];
    const session = cookies.find((line) => line.startsWith('fv_session='))!;
    const csrf = cookies.find((line) => line.startsWith('fv_csrf='))!;
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Strict/);
    assert.doesNotMatch(csrf, /HttpOnly/);
    assert.equal(answer.body.user.role, 'admin');
    const me = await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { cookie: session.split(';')[0] } });
    assert.deepEqual(me.body, { name: 'admin', role: 'admin' });
  });

  it('enforces roles: viewer reads, operator runs operations, admin manages agents and users', async () => {
    for (const [name, role] of [['vera', 'viewer'], ['otto', 'operator']] as const) {
      const made = await api(hub.url, 'POST', '/api/v1/users', { auth: admin, body: { name, password: `${name}-password`, role } });
      assert.equal(made.status, 201, made.text);
      assert.deepEqual({ name: made.body.name, role: made.body.role }, { name, role });
    }
    const vera = await login(hub.url, 'vera', 'vera-password');
    const otto = await login(hub.url, 'otto', 'otto-password');
    const viewerOnly = { token: vera.token };
    const operator = { token: otto.token };
    assert.equal((await api(hub.url, 'GET', '/api/v1/agents', { auth: viewerOnly })).status, 200);
    const refused = await api(hub.url, 'POST', '/api/v1/operations', { auth: viewerOnly, body: { action: 'start', selectors: ['x'] } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'FV_API_FORBIDDEN');
    // The operator passes the role check; the selector matches nothing (no agents).
    const noMatch = await api(hub.url, 'POST', '/api/v1/operations', { auth: operator, body: { action: 'start', selectors: ['x'] } });
    assert.equal(noMatch.status, 400);
    assert.equal(noMatch.body.error.code, 'FV_OPS_NO_MATCH');
    assert.equal((await api(hub.url, 'POST', '/api/v1/agents', { auth: operator, body: { name: 'z', url: 'http://127.0.0.1:1' } })).status, 403);
    assert.equal((await api(hub.url, 'GET', '/api/v1/users', { auth: operator })).status, 403);
    assert.equal((await api(hub.url, 'GET', '/api/v1/users', { auth: admin })).status, 200);
    // A role change takes effect on the next request of the same session.
    assert.equal((await api(hub.url, 'PATCH', '/api/v1/users/vera', { auth: admin, body: { role: 'operator' } })).status, 200);
    assert.equal((await api(hub.url, 'POST', '/api/v1/operations', { auth: viewerOnly, body: { action: 'start', selectors: ['x'] } })).status, 400);
  });

  it('requires the CSRF header for cookie-authenticated state changes, not for bearer ones', async () => {
    const cookieOnly = { cookie: admin.cookie };
    const withoutHeader = await api(hub.url, 'POST', '/api/v1/tokens', { auth: cookieOnly, body: { name: 'ci' } });
    assert.equal(withoutHeader.status, 403);
    assert.equal(withoutHeader.body.error.code, 'FV_API_CSRF');
    const wrongHeader = await api(hub.url, 'POST', '/api/v1/tokens', { auth: { ...cookieOnly, csrf: 'forged' }, body: { name: 'ci' } });
    assert.equal(wrongHeader.status, 403);
    assert.equal((await api(hub.url, 'GET', '/api/v1/tokens', { auth: cookieOnly })).status, 200);
    assert.equal((await api(hub.url, 'POST', '/api/v1/tokens', { auth: { cookie: admin.cookie, csrf: admin.csrf }, body: { name: 'ci' } })).status, 201);
    assert.equal((await api(hub.url, 'POST', '/api/v1/tokens', { auth: { token: admin.token }, body: { name: 'ci2' } })).status, 201);
  });

  it('API tokens: text shown once, stored hashed, usable as bearer until revoked', async () => {
    const made = await api(hub.url, 'POST', '/api/v1/tokens', { auth: { token: admin.token }, body: { name: 'script' } });
    assert.equal(made.status, 201);
    const text: string = made.body.token;
    assert.match(text, /^fvh_/);
    const listed = await api(hub.url, 'GET', '/api/v1/tokens', { auth: { token: admin.token } });
    assert.ok(listed.body.some((token: { id: string }) => token.id === made.body.id));
    assert.ok(!listed.text.includes(text));
    const hashes = hub.hub.store.db.prepare('SELECT hash FROM tokens').all() as Array<{ hash: string }>;
    assert.ok(hashes.every((row) => row.hash !== text && !row.hash.includes(text)));
    assert.equal((await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { token: text } })).body.name, 'admin');
    assert.equal((await api(hub.url, 'DELETE', `/api/v1/tokens/${made.body.id}`, { auth: { token: admin.token } })).status, 204);
    assert.equal((await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { token: text } })).status, 401);
  });

  it('keeps the last admin, ends the sessions of a deleted user, and logout ends a session', async () => {
    const last = await api(hub.url, 'DELETE', '/api/v1/users/admin', { auth: { token: admin.token } });
    assert.equal(last.status, 409);
    assert.equal((await api(hub.url, 'PATCH', '/api/v1/users/admin', { auth: { token: admin.token }, body: { role: 'viewer' } })).status, 409);
    await api(hub.url, 'POST', '/api/v1/users', { auth: { token: admin.token }, body: { name: 'gone', password: 'gone-password', role: 'viewer' } });
    const gone = await login(hub.url, 'gone', 'gone-password');
    assert.equal((await api(hub.url, 'DELETE', '/api/v1/users/gone', { auth: { token: admin.token } })).status, 204);
    assert.equal((await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { token: gone.token } })).status, 401);
    const session = await login(hub.url, 'admin', ADMIN_PASSWORD);
    assert.equal((await api(hub.url, 'POST', '/api/v1/auth/logout', { auth: { token: session.token } })).status, 204);
    assert.equal((await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { token: session.token } })).status, 401);
  });

  it('lets a user change their own password, ending their other sessions', async () => {
    await api(hub.url, 'POST', '/api/v1/users', { auth: { token: admin.token }, body: { name: 'pat', password: 'pat-password', role: 'viewer' } });
    const first = await login(hub.url, 'pat', 'pat-password');
    const second = await login(hub.url, 'pat', 'pat-password');
    const bad = await api(hub.url, 'POST', '/api/v1/auth/password', { auth: { token: first.token }, body: { current: 'nope-nope', password: 'pat-new-password' } });
    assert.equal(bad.status, 403);
    const short = await api(hub.url, 'POST', '/api/v1/auth/password', { auth: { token: first.token }, body: { current: 'pat-password', password: 'short' } });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.code, 'FV_API_BAD_REQUEST');
    assert.equal((await api(hub.url, 'POST', '/api/v1/auth/password', { auth: { token: first.token }, body: { current: 'pat-password', password: 'pat-new-password' } })).status, 204);
    assert.equal((await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { token: first.token } })).status, 200);
    assert.equal((await api(hub.url, 'GET', '/api/v1/auth/me', { auth: { token: second.token } })).status, 401);
    await login(hub.url, 'pat', 'pat-new-password');
  });

  it('answers unknown API routes with a JSON 404 and serves a page for other paths', async () => {
    const missing = await api(hub.url, 'GET', '/api/v1/nothing-here', { auth: { token: admin.token } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'FV_API_NOT_FOUND');
    const page = await api(hub.url, 'GET', '/fleet/some/page');
    assert.equal(page.status, 200);
    assert.match(page.text, /web view is not built/);
    assert.equal((await api(hub.url, 'GET', '/healthz')).text, 'ok');
  });
});
