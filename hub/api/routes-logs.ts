/**
 * A process's log on any host: the tail (tailProcessStdoutLog / Stderr
 * through the agent's connector) and the live stream (log-stream.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TailResult } from '../../node-agent/api/types.js';
import { agentConnector } from './agent-access.js';
import type { ApiContext } from './context.js';
import type { LogChannel } from './log-stream.js';
import { processParams } from './routes-processes.js';
import { errorResponses, eventStreamResponse, object } from './schemas.js';
import { openEventStream } from './sse.js';

export const TAIL_LIMITS = { defaultBytes: 16 * 1024, maxBytes: 1024 * 1024 } as const;

const channel = { type: 'string', enum: ['stdout', 'stderr'], default: 'stdout' };

export async function logRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Params: { agent: string; namespec: string }; Querystring: { channel: LogChannel; bytes?: number } }>(
    '/api/v1/processes/:agent/:namespec/log',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "The end of a process's stdout or stderr log, read from its agent",
        tags: ['processes'],
        params: processParams,
        querystring: object({ channel, bytes: { type: 'integer', minimum: 1, maximum: TAIL_LIMITS.maxBytes } }),
        response: { 200: object({ data: { type: 'string' }, offset: { type: 'integer' }, overflow: { type: 'boolean' } }, ['data', 'offset', 'overflow']), ...errorResponses },
      },
    },
    async (request) => {
      const { agent, namespec } = request.params;
      const method = request.query.channel === 'stderr' ? 'supervisor.tailProcessStderrLog' : 'supervisor.tailProcessStdoutLog';
      const [data, offset, overflow] = await agentConnector(ctx, agent).call<TailResult>(method, [namespec, 0, request.query.bytes ?? TAIL_LIMITS.defaultBytes]);
      return { data, offset, overflow };
    },
  );

  app.get<{ Params: { agent: string; namespec: string }; Querystring: { channel: LogChannel } }>(
    '/api/v1/processes/:agent/:namespec/log/stream',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A process's log, live: `event: log` with {data} per chunk (the last KiB first), `event: end` with {reason} when it stops",
        tags: ['processes'],
        params: processParams,
        querystring: object({ channel }),
        response: { ...eventStreamResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { agent, namespec } = request.params;
      const spec = agentConnector(ctx, agent).spec;
      const pending = await ctx.logs.connect(spec, namespec, request.query.channel);
      if (request.raw.destroyed) {
        pending.cancel();
        return reply;
      }
      pending.relay(openEventStream(request, reply));
      return reply;
    },
  );
}
