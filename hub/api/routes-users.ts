/**
 * /api/v1/users (admin) and /api/v1/tokens (one's own; an admin's for
 * anyone). Passwords are stored as scrypt hashes and tokens as sha256 by
 * the store; a token's text is answered once, when it is made.
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../store/users.js';
import { identityOf } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { arrayOf, emptyResponse, errorResponses, object, roleSchema, tokenSchema, userSchema } from './schemas.js';

export const PASSWORD_MIN_LENGTH = 8;
const password = { type: 'string', minLength: PASSWORD_MIN_LENGTH, maxLength: 1024 };
const userName = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' };
const nameParams = object({ name: { type: 'string' } }, ['name']);

export async function userRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { users } = ctx.store;
  const admins = (): number => users.listUsers().filter((user) => user.role === 'admin').length;
  const requireUser = (name: string): { name: string; role: Role } => {
    const user = users.getUser(name);
    if (user === undefined) throw new ApiError('FV_API_NOT_FOUND', `no user ${name}`);
    return user;
  };

  app.get(
    '/api/v1/users',
    { config: { access: 'admin' }, schema: { summary: 'Every user with their role', tags: ['users'], response: { 200: arrayOf(userSchema), ...errorResponses } } },
    async () => users.listUsers(),
  );

  app.post<{ Body: { name: string; password: string; role: Role } }>(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Add a user',
        tags: ['users'],
        body: object({ name: userName, password, role: roleSchema }, ['name', 'password', 'role']),
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, password: text, role } = request.body;
      if (users.getUser(name) !== undefined) throw new ApiError('FV_API_CONFLICT', `user ${name} already exists`);
      return reply.code(201).send(users.createUser(name, role, text));
    },
  );

  app.patch<{ Params: { name: string }; Body: { password?: string; role?: Role } }>(
    '/api/v1/users/:name',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Change a user's role or password (a new password ends their sessions)",
        tags: ['users'],
        params: nameParams,
        body: object({ password, role: roleSchema }, [], { minProperties: 1 }),
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request.params.name);
      const { password: text, role } = request.body;
      if (role !== undefined && role !== 'admin' && user.role === 'admin' && admins() === 1) {
        throw new ApiError('FV_API_CONFLICT', `${user.name} is the last admin; make another admin first`);
      }
      if (role !== undefined) users.setRole(user.name, role);
      if (text !== undefined) {
        users.setPassword(user.name, text);
        ctx.sessions.endAllOf(user.name, identityOf(request).session);
      }
      return users.getUser(user.name);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/users/:name',
    {
      config: { access: 'admin' },
      schema: { summary: 'Remove a user with their tokens and sessions', tags: ['users'], params: nameParams, response: { ...emptyResponse, ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request.params.name);
      if (user.role === 'admin' && admins() === 1) throw new ApiError('FV_API_CONFLICT', `${user.name} is the last admin`);
      users.deleteUser(user.name);
      ctx.sessions.endAllOf(user.name);
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { all?: boolean } }>(
    '/api/v1/tokens',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "One's own API tokens (an admin with all=true: everyone's); never the token text",
        tags: ['users'],
        querystring: object({ all: { type: 'boolean' } }),
        response: { 200: arrayOf(tokenSchema), ...errorResponses },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      if (request.query.all === true) {
        if (identity.role !== 'admin') throw new ApiError('FV_API_FORBIDDEN', 'only an admin lists every token');
        return users.listTokens();
      }
      return users.listTokens(identity.user);
    },
  );

  app.post<{ Body: { name: string; user?: string } }>(
    '/api/v1/tokens',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Make an API token for scripts (`user`: an admin may make one for another user); the token text is in this answer only',
        tags: ['users'],
        body: object({ name: { type: 'string', minLength: 1, maxLength: 128 }, user: { type: 'string' } }, ['name']),
        response: { 201: object({ ...(tokenSchema as { properties: Record<string, Record<string, unknown>> }).properties, token: { type: 'string' } }, ['id', 'user', 'name', 'created', 'token']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      const owner = request.body.user ?? identity.user;
      if (owner !== identity.user && identity.role !== 'admin') throw new ApiError('FV_API_FORBIDDEN', 'only an admin makes tokens for another user');
      requireUser(owner);
      return reply.code(201).send(users.createToken(owner, request.body.name));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    {
      config: { access: 'viewer' },
      schema: { summary: 'Revoke a token (one of one\'s own; an admin: anyone\'s)', tags: ['users'], params: object({ id: { type: 'string' } }, ['id']), response: { ...emptyResponse, ...errorResponses } },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      const token = users.listTokens().find((record) => record.id === request.params.id);
      if (token === undefined || (token.user !== identity.user && identity.role !== 'admin')) throw new ApiError('FV_API_NOT_FOUND', `no token ${request.params.id}`);
      users.revokeToken(token.id);
      return reply.code(204).send();
    },
  );
}
