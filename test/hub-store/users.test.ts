import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passwordMatches } from '../../hub/store/users.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { tempStore } from './helpers.js';

const code = (expected: string) => (err: unknown): boolean => err instanceof FleetvisorError && err.code === expected;

test('users: create, verify the password, change role and password, delete', () => {
  const t = tempStore();
  try {
    const users = t.store.users;
    assert.deepEqual(users.createUser('alice', 'admin', 's3cret', 1000), { name: 'alice', role: 'admin', created: 1000 });
    users.createUser('bob', 'viewer', 'hunter2');
    assert.throws(() => users.createUser('alice', 'viewer', 'x'), code('FV_STORE_CONFLICT'));
    assert.throws(() => users.createUser('carol', 'root' as 'admin', 'x'), code('FV_STORE_BAD_INPUT'));
    assert.equal(users.verifyPassword('alice', 's3cret')?.role, 'admin');
    assert.equal(users.verifyPassword('alice', 'S3cret'), undefined);
    assert.equal(users.verifyPassword('nobody', 's3cret'), undefined);
    const stored = t.store.db.prepare("SELECT password_hash FROM users WHERE name = 'alice'").get() as { password_hash: string };
    assert.match(stored.password_hash, /^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    assert.ok(!stored.password_hash.includes('s3cret'));
    // Same password, different salt: different hashes.
    users.createUser('alice2', 'viewer', 's3cret');
    const other = t.store.db.prepare("SELECT password_hash FROM users WHERE name = 'alice2'").get() as { password_hash: string };
    assert.notEqual(other.password_hash, stored.password_hash);
    assert.equal(passwordMatches('s3cret', other.password_hash), true);

    users.setRole('bob', 'operator');
    users.setPassword('bob', 'new-pass');
    assert.equal(users.verifyPassword('bob', 'hunter2'), undefined);
    assert.equal(users.verifyPassword('bob', 'new-pass')?.role, 'operator');
    assert.deepEqual(users.listUsers().map((u) => u.name), ['alice', 'alice2', 'bob']);
    users.deleteUser('alice2');
    assert.equal(users.getUser('alice2'), undefined);
    assert.throws(() => users.deleteUser('alice2'), code('FV_STORE_NOT_FOUND'));
    assert.throws(() => users.setRole('ghost', 'viewer'), code('FV_STORE_NOT_FOUND'));
  } finally {
    t.cleanup();
  }
});

test('tokens: only the hash is stored, verify records use, revoke and user deletion end them', () => {
  const t = tempStore();
  try {
    const users = t.store.users;
    users.createUser('ci', 'operator', 'pw');
    const token = users.createToken('ci', 'deploy bot', 500);
    assert.match(token.token, /^fvh_[\w-]{43}$/);
    const row = t.store.db.prepare('SELECT hash FROM tokens WHERE id = ?').get(token.id) as { hash: string };
    assert.notEqual(row.hash, token.token);
    assert.match(row.hash, /^[0-9a-f]{64}$/);

    assert.deepEqual(users.verifyToken(token.token, 9000), { user: 'ci', role: 'operator', tokenId: token.id });
    assert.equal(users.listTokens('ci')[0].lastUsed, 9000);
    assert.equal(users.verifyToken(`${token.token}x`), undefined);
    assert.equal(users.verifyToken('not-a-token'), undefined);
    assert.throws(() => users.createToken('ghost', 'x'), code('FV_STORE_NOT_FOUND'));

    // The role comes from the user at verification time.
    users.setRole('ci', 'viewer');
    assert.equal(users.verifyToken(token.token)?.role, 'viewer');

    users.revokeToken(token.id);
    assert.equal(users.verifyToken(token.token), undefined);
    assert.throws(() => users.revokeToken(token.id), code('FV_STORE_NOT_FOUND'));

    const second = users.createToken('ci', 'other');
    users.deleteUser('ci');
    assert.equal(users.verifyToken(second.token), undefined);
    assert.deepEqual(users.listTokens(), []);
  } finally {
    t.cleanup();
  }
});
