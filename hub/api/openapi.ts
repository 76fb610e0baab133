/**
 * The OpenAPI 3.1 document of the hub, built from the routes' own JSON
 * schemas as they register (fastify's onRoute hook), so it cannot drift
 * from what the hub validates and answers.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteAccess } from './context.js';
import { errorResponses, object } from './schemas.js';

type Schema = Record<string, unknown>;

interface RouteDoc {
  method: string;
  url: string;
  schema: Schema;
  access: RouteAccess;
}

export class OpenApiCollector {
  readonly #routes: RouteDoc[] = [];

  /** Must run before any route registers. */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD') continue;
        this.#routes.push({
          method: method.toLowerCase(),
          url: route.url,
          schema: (route.schema ?? {}) as Schema,
          access: (route.config as { access?: RouteAccess } | undefined)?.access ?? 'admin',
        });
      }
    });
  }

  /** `METHOD /path` of every route documented. */
  get routes(): string[] {
    return this.#routes.map((route) => `${route.method.toUpperCase()} ${route.url}`);
  }

  document(version: string): Schema {
    const paths: Record<string, Record<string, Schema>> = {};
    for (const route of this.#routes) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{path}');
      (paths[path] ??= {})[route.method] = operation(route);
    }
    return {
      openapi: '3.1.0',
      info: { title: 'fleetvisor-hub', version, description: 'Run and watch processes on many machines: the hub API (docs/hub-api.md).' },
      paths,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/v1/tokens) or the token of a login' },
          session: { type: 'apiKey', in: 'cookie', name: 'fv_session', description: 'Set by login; state changes need the X-CSRF-Token header too' },
        },
      },
    };
  }
}

function operation(route: RouteDoc): Schema {
  const { schema } = route;
  const op: Schema = {
    operationId: `${route.method}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: schema.summary ?? '',
    tags: schema.tags ?? [],
    'x-role': route.access,
    security: route.access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
  };
  const parameters = [...parametersOf(schema.params, 'path'), ...parametersOf(schema.querystring, 'query')];
  if (route.url.endsWith('*')) parameters.push({ name: 'path', in: 'path', required: true, schema: { type: 'string' } });
  if (parameters.length > 0) op.parameters = parameters;
  if (schema.body !== undefined) op.requestBody = { required: true, content: { 'application/json': { schema: schema.body } } };
  const responses: Schema = {};
  for (const [code, body] of Object.entries((schema.response ?? {}) as Record<string, Schema>)) {
    const key = code.replace(/xx$/, 'XX');
    if (code === '204' || body.type === 'null') responses[key] = { description: String(body.description ?? 'no body') };
    else if (body.description === 'text/event-stream') responses[key] = { description: 'server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } };
    else if (body.type === 'string') responses[key] = { description: 'text', content: { 'text/plain': { schema: body } } };
    else responses[key] = { description: code.startsWith('2') ? 'success' : 'error', content: { 'application/json': { schema: body } } };
  }
  op.responses = Object.keys(responses).length > 0 ? responses : { '200': { description: 'success' } };
  return op;
}

function parametersOf(schema: unknown, where: 'path' | 'query'): Schema[] {
  const s = schema as { properties?: Record<string, Schema>; required?: string[] } | undefined;
  if (s?.properties === undefined) return [];
  return Object.entries(s.properties).map(([name, property]) => {
    const parameter: Schema = { name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: property };
    if (property.type === 'array') {
      parameter.style = 'form';
      parameter.explode = true;
    }
    return parameter;
  });
}

export async function openApiRoutes(app: FastifyInstance, collector: OpenApiCollector, version: string): Promise<void> {
  let cached: Schema | undefined;
  app.get(
    '/api/v1/openapi.json',
    {
      config: { access: 'public' },
      schema: { summary: 'This document', tags: ['other'], response: { 200: object({}, [], { additionalProperties: true }), ...errorResponses } },
    },
    // Built at the first request: every route has registered by then.
    async () => (cached ??= collector.document(version)),
  );
}
