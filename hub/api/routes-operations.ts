/**
 * /api/v1/operations: start an operation (hub/ops), follow its progress as
 * server-sent events (replayed from the start for late joiners, or from the
 * operations log once it is no longer in memory), cancel it, list past ones.
 */
import type { FastifyInstance } from 'fastify';
import type { OperationRequest, OutcomeCounts, ProgressEvent } from '../ops/types.js';
import type { OperationWithTargets } from '../store/ops-log.js';
import { identityOf } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { arrayOf, errorResponses, eventStreamResponse, object, operationResultSchema, operationSchema, operationTargetSchema } from './schemas.js';
import { openEventStream, type SseConnection } from './sse.js';

type OperationBody = Omit<OperationRequest, 'user'>;

const idParams = object({ id: { type: 'integer', minimum: 1 } }, ['id']);
const num = { type: 'number', minimum: 0 };

const operationBody = object(
  {
    action: { type: 'string', enum: ['start', 'stop', 'restart', 'signal', 'clear', 'update'] },
    selectors: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 1000 },
    signal: { type: 'string' },
    mode: { type: 'string', enum: ['parallel', 'rolling'], default: 'parallel' },
    parallel: { type: 'integer', minimum: 1, maximum: 10_000 },
    batch: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\d+%?$' }] },
    waitSeconds: num,
    healthUrl: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
    healthTimeoutSeconds: num,
    pauseSeconds: num,
    stopOnFailure: { type: 'boolean' },
  },
  ['action', 'selectors'],
);

const countsSchema = object(
  { total: { type: 'integer' }, ok: { type: 'integer' }, failed: { type: 'integer' }, skipped: { type: 'integer' } },
  ['total', 'ok', 'failed', 'skipped'],
);

export async function operationRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.post<{ Body: OperationBody }>(
    '/api/v1/operations',
    {
      config: { access: 'operator' },
      schema: {
        summary: 'Start an operation on the processes the selectors name (all at once, or rolling in batches)',
        tags: ['operations'],
        body: operationBody,
        response: { 202: object({ id: { type: 'integer' }, targets: arrayOf(operationTargetSchema), batches: { type: 'integer' } }, ['id', 'targets', 'batches']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const operation = ctx.ops.start({ ...request.body, user: identityOf(request).user });
      operation.events.subscribe((progress) => ctx.feed.publishOperation(operation.id, progress));
      return reply.code(202).send({
        id: operation.id,
        targets: operation.targets.map((target) => ({ agent: target.agent, namespec: target.namespec })),
        batches: operation.batches.length,
      });
    },
  );

  app.get<{ Querystring: { limit: number; before?: number; user?: string } }>(
    '/api/v1/operations',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Past and running operations, newest first (page back with `before` = the last id seen)',
        tags: ['operations'],
        querystring: object({ limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 }, before: { type: 'integer', minimum: 1 }, user: { type: 'string' } }),
        response: { 200: arrayOf(operationSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, before, user } = request.query;
      return ctx.ops.list({ limit, ...(before !== undefined ? { beforeId: before } : {}), ...(user !== undefined ? { user } : {}) });
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/operations/:id',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'One operation with the result of every target so far',
        tags: ['operations'],
        params: idParams,
        response: {
          200: object(
            { ...(operationSchema as { properties: Record<string, unknown> }).properties, targets: arrayOf(operationResultSchema), counts: countsSchema, batches: { type: 'integer' } } as Record<string, Record<string, unknown>>,
            ['id', 'user', 'started', 'action', 'mode', 'status', 'targets', 'counts'],
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const record = requireOperation(ctx, request.params.id);
      const live = ctx.ops.live(record.id);
      return {
        ...record,
        counts: live?.counts ?? countsOf(record),
        ...(live !== undefined ? { batches: live.batches.length } : {}),
      };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/operations/:id/events',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "An operation's progress: event: batch {index, total, targets}, target {agent, namespec, status, message, ms}, done {status, counts}; what already happened comes first",
        tags: ['operations'],
        params: idParams,
        response: { ...eventStreamResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const record = requireOperation(ctx, request.params.id);
      const live = ctx.ops.live(record.id);
      const connection = openEventStream(request, reply);
      if (live === undefined) {
        replayFromLog(connection, record);
        return reply;
      }
      const unsubscribe = live.events.subscribe((progress) => {
        sendProgress(connection, progress);
        if (progress.type === 'done') connection.close();
      });
      connection.onClose(unsubscribe);
      return reply;
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/operations/:id/cancel',
    {
      config: { access: 'operator' },
      schema: {
        summary: 'Cancel a running operation: nothing new begins, calls in flight finish, the rest is skipped',
        tags: ['operations'],
        params: idParams,
        response: { 202: object({ id: { type: 'integer' }, status: { type: 'string' } }, ['id', 'status']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (ctx.ops.cancel(id)) return reply.code(202).send({ id, status: 'cancelling' });
      const record = requireOperation(ctx, id);
      throw new ApiError('FV_API_CONFLICT', `operation ${id} is not running (${record.status})`);
    },
  );
}

function requireOperation(ctx: ApiContext, id: number): OperationWithTargets {
  const record = ctx.ops.get(id);
  if (record === undefined) throw new ApiError('FV_API_NOT_FOUND', `no operation ${id}`);
  return record;
}

function sendProgress(connection: SseConnection, progress: ProgressEvent): void {
  const { type, ...data } = progress;
  connection.send(type, data);
}

function countsOf(record: OperationWithTargets): OutcomeCounts {
  const counts: OutcomeCounts = { total: record.targets.length, ok: 0, failed: 0, skipped: 0 };
  for (const target of record.targets) counts[target.result]++;
  return counts;
}

/** An operation no longer in memory (older, or from before a hub restart): its logged results, then done. */
function replayFromLog(connection: SseConnection, record: OperationWithTargets): void {
  for (const target of record.targets) {
    connection.send('target', { agent: target.agent, namespec: target.process ?? 'all', status: target.result, message: target.message, ms: 0 });
  }
  // 'running' in the log but not in memory: the hub stopped while it ran.
  const status = record.status === 'succeeded' || record.status === 'cancelled' ? record.status : record.status === 'running' ? 'cancelled' : 'failed';
  connection.send('done', { status, counts: countsOf(record) });
  connection.close();
}
