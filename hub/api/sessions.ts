/**
 * Login sessions, kept in memory: a session token (cookie or bearer) names
 * a user and carries the CSRF value of that login. They end at logout,
 * after an idle time, or when the hub restarts; API tokens (hub/store
 * users.ts) are what scripts keep. The user's role is read from the store on
 * every request, so a changed role or a deleted user takes effect at once.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_PREFIX = 'fvs_';

export interface Session {
  token: string;
  user: string;
  csrf: string;
  created: number;
  lastSeen: number;
}

export interface SessionOptions {
  /** A session unused this long ends (default 12 h). */
  idleMs?: number;
  /** Sessions kept at most; the least recently used go first (default 10000). */
  max?: number;
  now?: () => number;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #idleMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: SessionOptions = {}) {
    this.#idleMs = options.idleMs ?? 12 * 3600_000;
    this.#max = options.max ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  create(user: string): Session {
    const now = this.#now();
    const session: Session = {
      token: `${SESSION_PREFIX}${randomBytes(32).toString('base64url')}`,
      user,
      csrf: randomBytes(24).toString('base64url'),
      created: now,
      lastSeen: now,
    };
    this.#sessions.set(session.token, session);
    while (this.#sessions.size > this.#max) this.#sessions.delete(this.#sessions.keys().next().value!);
    return session;
  }

  /** The live session of this token (its idle clock restarts), or undefined. */
  touch(token: string): Session | undefined {
    const session = this.#sessions.get(token);
    if (session === undefined) return undefined;
    const now = this.#now();
    this.#sessions.delete(token);
    if (now - session.lastSeen > this.#idleMs) return undefined;
    session.lastSeen = now;
    // Re-inserted: the map's order is least recently used first.
    this.#sessions.set(token, session);
    return session;
  }

  end(token: string): void {
    this.#sessions.delete(token);
  }

  /** Ends every session of `user` except `keep` (a password change, a deleted user). */
  endAllOf(user: string, keep?: string): void {
    for (const [token, session] of this.#sessions) if (session.user === user && token !== keep) this.#sessions.delete(token);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
