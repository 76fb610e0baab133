/**
 * The hub API's users and bearer tokens. Passwords are kept as scrypt hashes
 * with a per-user salt; tokens as the sha256 of the token text, so a copy of
 * the database gives away neither.
 */
import type { Statement } from 'better-sqlite3';
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import type { Db } from './db.js';

// The API's wire shapes are the store's records: one definition (hub/api/dto.ts).
import type { NewToken, Role, TokenRecord, UserRecord } from '../api/dto.js';
export type { NewToken, Role, TokenRecord, UserRecord };

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** Who a valid token belongs to. */
export interface TokenIdentity {
  user: string;
  role: Role;
  tokenId: string;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;
const TOKEN_PREFIX = 'fvh_';

export class UserStore {
  readonly #insertUser: Statement;
  readonly #getUser: Statement;
  readonly #listUsers: Statement;
  readonly #setRole: Statement;
  readonly #setPassword: Statement;
  readonly #deleteUser: Statement;
  readonly #insertToken: Statement;
  readonly #tokenByHash: Statement;
  readonly #touchToken: Statement;
  readonly #deleteToken: Statement;
  readonly #listTokens: Statement;

  constructor(db: Db) {
    this.#insertUser = db.prepare('INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)');
    this.#getUser = db.prepare('SELECT name, role, password_hash, created FROM users WHERE name = ?');
    this.#listUsers = db.prepare('SELECT name, role, created FROM users ORDER BY name');
    this.#setRole = db.prepare('UPDATE users SET role = ? WHERE name = ?');
    this.#setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE name = ?');
    this.#deleteUser = db.prepare('DELETE FROM users WHERE name = ?');
    this.#insertToken = db.prepare('INSERT INTO tokens (id, user, hash, name, created) VALUES (?, ?, ?, ?, ?)');
    this.#tokenByHash = db.prepare(`SELECT t.id, t.user, u.role FROM tokens t JOIN users u ON u.name = t.user WHERE t.hash = ?`);
    this.#touchToken = db.prepare('UPDATE tokens SET last_used = ? WHERE id = ?');
    this.#deleteToken = db.prepare('DELETE FROM tokens WHERE id = ?');
    this.#listTokens = db.prepare('SELECT id, user, name, created, last_used FROM tokens WHERE (@user IS NULL OR user = @user) ORDER BY created, id');
  }

  createUser(name: string, role: Role, password: string, created: number = Date.now()): UserRecord {
    checkRole(role);
    if (name === '') throw new FleetvisorError('FV_STORE_BAD_INPUT', 'a user name must not be empty');
    if (this.#getUser.get(name) !== undefined) throw new FleetvisorError('FV_STORE_CONFLICT', `user ${name} already exists`);
    this.#insertUser.run(name, role, hashPassword(password), created);
    return { name, role, created };
  }

  getUser(name: string): UserRecord | undefined {
    const row = this.#getUser.get(name) as (UserRecord & { password_hash: string }) | undefined;
    return row === undefined ? undefined : { name: row.name, role: row.role, created: row.created };
  }

  listUsers(): UserRecord[] {
    return this.#listUsers.all() as UserRecord[];
  }

  /** The user when the password matches, otherwise undefined (unknown user or wrong password alike). */
  verifyPassword(name: string, password: string): UserRecord | undefined {
    const row = this.#getUser.get(name) as (UserRecord & { password_hash: string }) | undefined;
    if (row === undefined) {
      hashPassword(password); // same cost whether or not the user exists
      return undefined;
    }
    return passwordMatches(password, row.password_hash) ? { name: row.name, role: row.role, created: row.created } : undefined;
  }

  setPassword(name: string, password: string): void {
    if (this.#setPassword.run(hashPassword(password), name).changes === 0) throw noUser(name);
  }

  setRole(name: string, role: Role): void {
    checkRole(role);
    if (this.#setRole.run(role, name).changes === 0) throw noUser(name);
  }

  /** Deletes the user and every token of theirs. */
  deleteUser(name: string): void {
    if (this.#deleteUser.run(name).changes === 0) throw noUser(name);
  }

  createToken(user: string, name: string, created: number = Date.now()): NewToken {
    if (this.#getUser.get(user) === undefined) throw noUser(user);
    const id = randomBytes(8).toString('hex');
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.#insertToken.run(id, user, sha256(token), name, created);
    return { id, user, name, created, token };
  }

  /** Who the token belongs to (and records its use), or undefined for an unknown or revoked token. */
  verifyToken(token: string, now: number = Date.now()): TokenIdentity | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const row = this.#tokenByHash.get(sha256(token)) as { id: string; user: string; role: Role } | undefined;
    if (row === undefined) return undefined;
    this.#touchToken.run(now, row.id);
    return { user: row.user, role: row.role, tokenId: row.id };
  }

  revokeToken(id: string): void {
    if (this.#deleteToken.run(id).changes === 0) throw new FleetvisorError('FV_STORE_NOT_FOUND', `no token ${id}`);
  }

  listTokens(user?: string): TokenRecord[] {
    const rows = this.#listTokens.all({ user: user ?? null }) as Array<{ id: string; user: string; name: string; created: number; last_used: number | null }>;
    return rows.map((row) => {
      const record: TokenRecord = { id: row.id, user: row.user, name: row.name, created: row.created };
      if (row.last_used !== null) record.lastUsed = row.last_used;
      return record;
    });
  }
}

/** `scrypt$N$r$p$<salt>$<hash>`, salt and hash in base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export function passwordMatches(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function checkRole(role: string): asserts role is Role {
  if (!ROLES.includes(role as Role)) throw new FleetvisorError('FV_STORE_BAD_INPUT', `role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(role)}`);
}

function noUser(name: string): FleetvisorError {
  return new FleetvisorError('FV_STORE_NOT_FOUND', `no user ${name}`);
}
