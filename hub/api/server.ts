/**
 * The hub's HTTP server: fastify with optional TLS, the auth hook, every
 * route module, the OpenAPI document built from their schemas, and the web
 * view. Live streams (feed, log tails) end before the server closes.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { authRoutes, installAuth } from './auth.js';
import type { ApiContext } from './context.js';
import { installErrorHandlers } from './errors.js';
import { metricsRoutes } from './metrics.js';
import { OpenApiCollector, openApiRoutes } from './openapi.js';
import { agentRoutes } from './routes-agents.js';
import { eventRoutes } from './routes-events.js';
import { logRoutes } from './routes-logs.js';
import { operationRoutes } from './routes-operations.js';
import { processRoutes } from './routes-processes.js';
import { userRoutes } from './routes-users.js';
import { staticRoutes } from './static.js';

export interface ApiServerOptions {
  /** PEM files (hub.ini tls_cert, tls_key). */
  tls?: { cert: string; key: string };
  /** pino level for fastify's own log (default: off). */
  logLevel?: string;
  /** Shown in the OpenAPI document. */
  version?: string;
}

export interface ApiServer {
  app: FastifyInstance;
  openapi: OpenApiCollector;
}

export async function createApiServer(ctx: ApiContext, options: ApiServerOptions = {}): Promise<ApiServer> {
  const https = options.tls === undefined ? null : readTls(options.tls);
  const app = Fastify({
    ...(https !== null ? { https } : {}),
    logger: options.logLevel !== undefined ? { level: options.logLevel } : false,
    bodyLimit: 1 << 20,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  const openapi = new OpenApiCollector();
  installErrorHandlers(app);
  installAuth(app, ctx);
  openapi.install(app);
  app.addHook('preClose', async () => {
    ctx.feed.close();
    ctx.logs.close();
  });
  await authRoutes(app, ctx);
  await agentRoutes(app, ctx);
  await processRoutes(app, ctx);
  await logRoutes(app, ctx);
  await eventRoutes(app, ctx);
  await operationRoutes(app, ctx);
  await userRoutes(app, ctx);
  await metricsRoutes(app, ctx);
  await openApiRoutes(app, openapi, options.version ?? '0');
  await staticRoutes(app, ctx);
  return { app, openapi };
}

function readTls(tls: { cert: string; key: string }): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
  } catch (err) {
    throw new FleetvisorError('FV_CONFIG_BAD_VALUE', `hub TLS: cannot read ${tls.cert} / ${tls.key}: ${(err as Error).message}`, { cause: err });
  }
}
