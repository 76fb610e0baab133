/**
 * Who is asking, and may they: a bearer token (an API token or the token a
 * login returned) or the session cookie; roles viewer < operator < admin,
 * declared by every route as `config.access`. Cookie-authenticated
 * requests that change state must repeat the session's CSRF value in the
 * X-CSRF-Token header (a cross-site form can send the cookie, not the header).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../store/users.js';
import type { ApiContext, Identity, RouteAccess } from './context.js';
import { ApiError } from './errors.js';
import { errorResponses, object, roleSchema } from './schemas.js';
import { sameSecret, SESSION_PREFIX } from './sessions.js';

export const SESSION_COOKIE = 'fv_session';
export const CSRF_COOKIE = 'fv_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Checks every request against its route's `config.access`; refuses to register a route without one. */
export function installAuth(app: FastifyInstance, ctx: ApiContext): void {
  app.decorateRequest('identity', undefined);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no config.access`);
    if (SAFE_METHODS.has(String(route.method)) === false && access === 'public' && !route.url.endsWith('/auth/login')) {
      throw new Error(`route ${String(route.method)} ${route.url}: only login may change state without a credential`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || request.routeOptions.url === undefined) return; // no route: the 404 handler answers
    const identity = identify(request, ctx);
    if (identity !== undefined) request.identity = identity;
    if (access === 'public') return;
    if (identity === undefined) throw new ApiError('FV_API_UNAUTHORIZED', 'log in first, or send Authorization: Bearer <token>');
    if (!roleAllows(identity.role, access)) {
      throw new ApiError('FV_API_FORBIDDEN', `${request.method} ${request.routeOptions.url} needs the ${access} role; ${identity.user} is ${identity.role}`);
    }
    if (identity.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      const session = identity.session === undefined ? undefined : ctx.sessions.touch(identity.session);
      if (typeof header !== 'string' || session === undefined || !sameSecret(header, session.csrf)) {
        throw new ApiError('FV_API_CSRF', `send the value of the ${CSRF_COOKIE} cookie in the X-CSRF-Token header`);
      }
    }
  });
}

function identify(request: FastifyRequest, ctx: ApiContext): Identity | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new ApiError('FV_API_UNAUTHORIZED', 'Authorization must be "Bearer <token>"');
    const token = match[1];
    if (token.startsWith(SESSION_PREFIX)) return fromSession(token, 'session-bearer', ctx) ?? refuse();
    const found = ctx.store.users.verifyToken(token);
    if (found === undefined) return refuse();
    return { user: found.user, role: found.role, via: 'token', tokenId: found.tokenId };
  }
  const cookie = readCookies(request.headers.cookie)[SESSION_COOKIE];
  // A stale cookie on a public route (the login page) is no reason to refuse.
  return cookie === undefined ? undefined : fromSession(cookie, 'cookie', ctx);
}

function refuse(): never {
  throw new ApiError('FV_API_UNAUTHORIZED', 'the token is unknown, expired or revoked');
}

function fromSession(token: string, via: Identity['via'], ctx: ApiContext): Identity | undefined {
  const session = ctx.sessions.touch(token);
  if (session === undefined) return undefined;
  const user = ctx.store.users.getUser(session.user);
  if (user === undefined) {
    ctx.sessions.end(token);
    return undefined;
  }
  return { user: user.name, role: user.role, via, session: token };
}

export function readCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies[name] ??= decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie that is not URI-encoded is not one of ours.
    }
  }
  return cookies;
}

function cookie(name: string, value: string, options: { httpOnly: boolean; secure: boolean; maxAge?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Strict'];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  return parts.join('; ');
}

/** The identity of a request to a non-public route (set by the hook). */
export function identityOf(request: FastifyRequest): Identity {
  if (request.identity === undefined) throw new ApiError('FV_API_UNAUTHORIZED', 'not logged in');
  return request.identity;
}

const whoAmI = object({ name: { type: 'string' }, role: roleSchema }, ['name', 'role']);

/** /api/v1/auth/*: login, logout, who am I, change my password. */
export async function authRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log in: a session cookie for browsers, a token for scripts',
        tags: ['auth'],
        body: object({ username: { type: 'string', minLength: 1 }, password: { type: 'string' } }, ['username', 'password']),
        response: { 200: object({ token: { type: 'string' }, csrf: { type: 'string' }, user: whoAmI }, ['token', 'csrf', 'user']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = ctx.store.users.verifyPassword(request.body.username, request.body.password);
      if (user === undefined) throw new ApiError('FV_API_UNAUTHORIZED', 'wrong user name or password');
      const session = ctx.sessions.create(user.name);
      reply.header('set-cookie', [
        cookie(SESSION_COOKIE, session.token, { httpOnly: true, secure: ctx.secureCookies }),
        cookie(CSRF_COOKIE, session.csrf, { httpOnly: false, secure: ctx.secureCookies }),
      ]);
      return { token: session.token, csrf: session.csrf, user: { name: user.name, role: user.role } };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'viewer' },
      schema: { summary: 'End the session of this request', tags: ['auth'], response: { 204: { type: 'null' }, ...errorResponses } },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      if (identity.session !== undefined) ctx.sessions.end(identity.session);
      clearCookies(reply, ctx.secureCookies);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: { access: 'viewer' }, schema: { summary: 'Who this request is', tags: ['auth'], response: { 200: whoAmI, ...errorResponses } } },
    async (request) => {
      const identity = identityOf(request);
      return { name: identity.user, role: identity.role };
    },
  );

  app.post<{ Body: { current: string; password: string } }>(
    '/api/v1/auth/password',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "Change one's own password (other sessions of the user end)",
        tags: ['auth'],
        body: object({ current: { type: 'string' }, password: { type: 'string', minLength: 8 } }, ['current', 'password']),
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      if (ctx.store.users.verifyPassword(identity.user, request.body.current) === undefined) {
        throw new ApiError('FV_API_FORBIDDEN', 'the current password is wrong');
      }
      ctx.store.users.setPassword(identity.user, request.body.password);
      ctx.sessions.endAllOf(identity.user, identity.session);
      return reply.code(204).send();
    },
  );
}

function clearCookies(reply: FastifyReply, secure: boolean): void {
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, '', { httpOnly: true, secure, maxAge: 0 }),
    cookie(CSRF_COOKIE, '', { httpOnly: false, secure, maxAge: 0 }),
  ]);
}
