/**
 * /api/v1/agents: the hosts the hub follows with their health. Agents from
 * hub.ini are read-only here; agents added through the API are persisted and
 * followed at once. Credentials go in, never out.
 */
import type { FastifyInstance } from 'fastify';
import { FleetvisorError, type ErrorCode } from '../../node-agent/api/errors.js';
import { agentSpecFrom, Where } from '../config.js';
import type { AgentHealth, AgentSpec } from '../types.js';
import { agentView } from './agent-view.js';
import type { AgentPatchBody, AgentView, NewAgentBody } from './dto.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { agentSchema, arrayOf, emptyResponse, errorResponses, object } from './schemas.js';

const nameParams = object({ name: { type: 'string' } }, ['name']);
const tagList = arrayOf({ type: 'string' });
const nullableString = { type: ['string', 'null'] };

export async function agentRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const healthOf = (name: string): AgentHealth | undefined => ctx.fleet.get(name)?.health;
  const viewOf = (name: string): AgentView => {
    const spec = ctx.store.agents.get(name);
    if (spec === undefined) throw new ApiError('FV_API_NOT_FOUND', `no agent ${name}`);
    return agentView(spec, healthOf(name));
  };

  app.get(
    '/api/v1/agents',
    { config: { access: 'viewer' }, schema: { summary: 'Every agent with its health', tags: ['agents'], response: { 200: arrayOf(agentSchema), ...errorResponses } } },
    async () => ctx.store.agents.list().map((spec) => agentView(spec, healthOf(spec.name))),
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/agents/:name',
    { config: { access: 'viewer' }, schema: { summary: 'One agent with its health', tags: ['agents'], params: nameParams, response: { 200: agentSchema, ...errorResponses } } },
    async (request) => viewOf(request.params.name),
  );

  app.post<{ Body: NewAgentBody }>(
    '/api/v1/agents',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Follow a new agent (persisted in the hub database)',
        tags: ['agents'],
        body: object({ name: { type: 'string' }, url: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' }, tags: tagList }, ['name', 'url']),
        response: { 201: agentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const spec = specFrom(body.name, { url: body.url, username: body.username, password: body.password, tags: body.tags });
      if (ctx.store.agents.get(spec.name) !== undefined || ctx.fleet.has(spec.name)) throw new ApiError('FV_API_CONFLICT', `agent ${spec.name} already exists`);
      const stored = ctx.store.agents.add(spec);
      ctx.fleet.add(stored);
      return reply.code(201).send(agentView(stored, healthOf(stored.name)));
    },
  );

  app.patch<{ Params: { name: string }; Body: AgentPatchBody }>(
    '/api/v1/agents/:name',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Change an agent added through the API (null clears username or password)',
        tags: ['agents'],
        params: nameParams,
        body: object({ url: { type: 'string' }, username: nullableString, password: nullableString, tags: tagList }, [], { minProperties: 1 }),
        response: { 200: agentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { name } = request.params;
      const current = ctx.store.agents.get(name);
      if (current === undefined) throw new ApiError('FV_API_NOT_FOUND', `no agent ${name}`);
      if (current.source === 'config') throw new ApiError('FV_API_CONFLICT', `agent ${name} comes from hub.ini; change it there`);
      const body = request.body;
      const pick = <K extends 'username' | 'password'>(key: K): string | undefined => (body[key] === null ? undefined : (body[key] ?? current[key]));
      const spec = specFrom(name, { url: body.url ?? current.url, username: pick('username'), password: pick('password'), tags: body.tags ?? current.tags });
      const stored = ctx.store.agents.update(name, { url: spec.url, username: spec.username, password: spec.password, tags: spec.tags });
      if (ctx.fleet.has(name)) await ctx.fleet.update(stored);
      else ctx.fleet.add(stored);
      return agentView(stored, healthOf(name));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/agents/:name',
    {
      config: { access: 'admin' },
      schema: { summary: 'Stop following an agent added through the API (its history stays)', tags: ['agents'], params: nameParams, response: { ...emptyResponse, ...errorResponses } },
    },
    async (request, reply) => {
      const { name } = request.params;
      ctx.store.agents.remove(name);
      if (ctx.fleet.has(name)) await ctx.fleet.remove(name);
      ctx.store.snapshot.removeAgent(name);
      ctx.store.events.clearCursor(name);
      return reply.code(204).send();
    },
  );
}

/**
 * Where a request's agent came from: its body, so a refusal names only the
 * field (`url: 'ftp://x' is not http://, https:// or unix://`), where hub.ini
 * names file, section and option.
 */
class RequestBody extends Where {
  constructor(name: string) {
    super('request', `agent:${name}`);
  }

  /** Leads the message about a bad agent name: `name: agent name 'x y' must be …`. */
  override prefix(): string {
    return 'name';
  }

  override fail(code: ErrorCode, option: string, message: string): never {
    throw new FleetvisorError(code, `${option}: ${message}`);
  }
}

/** Checks a request's agent like an [agent:NAME] section of hub.ini. */
function specFrom(name: string, fields: { url: string; username?: string; password?: string; tags?: readonly string[] }): AgentSpec {
  const options: Record<string, string> = { url: fields.url };
  if (fields.username !== undefined) options.username = fields.username;
  if (fields.password !== undefined) options.password = fields.password;
  if (fields.tags !== undefined) options.tags = fields.tags.join(',');
  return agentSpecFrom(name, options, 'api', new RequestBody(name));
}
