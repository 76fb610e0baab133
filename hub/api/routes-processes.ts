/**
 * /api/v1/processes: the fleet's process table from the store (kept fresh
 * by the connectors), filtered; and one process's CPU and memory, asked of
 * its agent.
 */
import type { FastifyInstance } from 'fastify';
import { Faults } from '../../node-agent/api/faults.js';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { matchGlob } from '../ops/glob.js';
import type { ProcessSnapshot } from '../types.js';
import type { ApiContext } from './context.js';
import { makeNamespec } from '../../node-agent/api/namespec.js';
import { agentConnector, processOf } from './agent-access.js';
import { ApiError } from './errors.js';
import { arrayOf, errorResponses, object, processSchema, repeatable } from './schemas.js';

interface ProcessQuery {
  host?: string[];
  tag?: string[];
  group?: string[];
  name?: string[];
  state?: string[];
  q?: string;
}

const countMap = { type: 'object', additionalProperties: { type: 'integer' } };

export const processParams = object({ agent: { type: 'string' }, namespec: { type: 'string' } }, ['agent', 'namespec']);

export async function processRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: ProcessQuery }>(
    '/api/v1/processes',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'The fleet snapshot: every process of every host, filtered (repeated parameters OR, different ones AND)',
        tags: ['processes'],
        querystring: object({ host: repeatable, tag: repeatable, group: repeatable, name: repeatable, state: repeatable, q: { type: 'string' } }),
        response: {
          200: object(
            {
              processes: arrayOf(processSchema),
              hosts: object({ online: { type: 'integer' }, offline: { type: 'integer' }, total: { type: 'integer' } }, ['online', 'offline', 'total']),
              states: countMap,
            },
            ['processes', 'hosts', 'states'],
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      let rows = ctx.store.snapshot.list({ hosts: query.host, tags: query.tag, groups: query.group, processes: query.name, states: query.state });
      if (query.q !== undefined && query.q.trim() !== '') rows = rows.filter(textMatcher(query.q));
      const states: Record<string, number> = {};
      for (const row of rows) states[row.state] = (states[row.state] ?? 0) + 1;
      return { processes: rows.map((row) => ({ ...row, namespec: makeNamespec(row.group, row.name) })), hosts: hostCounts(ctx, query), states };
    },
  );

  app.get<{ Params: { agent: string; namespec: string } }>(
    '/api/v1/processes/:agent/:namespec/stats',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "CPU % (since the agent's previous sample) and resident memory of one process (fleetvisord agents only)",
        tags: ['processes'],
        params: processParams,
        response: {
          200: object(
            { agent: { type: 'string' }, namespec: { type: 'string' }, pid: { type: 'integer' }, cpuPercent: { type: 'number' }, rssBytes: { type: 'integer' }, processes: { type: 'integer' } },
            ['agent', 'namespec', 'pid', 'cpuPercent', 'rssBytes'],
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { agent, namespec } = request.params;
      const connector = agentConnector(ctx, agent);
      if (connector.health.kind === 'supervisord') throw new ApiError('FV_API_UNSUPPORTED', `${agent} is a plain supervisord: it reports no process statistics`);
      const { group, name } = processOf(namespec);
      const samples = await connector.call<XmlRpcValue[]>('fleetvisor.getProcessStats').catch((err: unknown) => {
        if ((err as { faultCode?: number }).faultCode === Faults.UNKNOWN_METHOD) throw new ApiError('FV_API_UNSUPPORTED', `${agent} reports no process statistics`);
        throw err;
      });
      const sample = samples.find((value) => {
        const s = value as Record<string, XmlRpcValue>;
        return s.group === group && s.name === name;
      }) as Record<string, XmlRpcValue> | undefined;
      if (sample === undefined) throw new ApiError('FV_API_NOT_FOUND', `${agent}: ${makeNamespec(group, name)} is not running (or does not exist)`);
      return {
        agent,
        namespec: makeNamespec(group, name),
        pid: Number(sample.pid),
        cpuPercent: Number(sample.cpu_percent),
        rssBytes: Number(sample.rss),
        processes: Number(sample.processes ?? 1),
      };
    },
  );
}

/** `q` finds a process by either form of its namespec: `web` and `web:web` both match a plain [program:web]. */
function textMatcher(q: string): (row: ProcessSnapshot) => boolean {
  const needle = q.trim().toLowerCase();
  return (row) => [row.agent, row.group, row.name, `${row.group}:${row.name}`, row.description, row.state].some((text) => text.toLowerCase().includes(needle));
}

/** Hosts online/offline among the agents the host and tag filters select. */
function hostCounts(ctx: ApiContext, query: ProcessQuery): { online: number; offline: number; total: number } {
  let online = 0;
  let total = 0;
  for (const spec of ctx.fleet.agents()) {
    const hostOk = query.host === undefined || query.host.length === 0 || query.host.some((glob) => matchGlob(glob, spec.name));
    const tagOk = query.tag === undefined || query.tag.length === 0 || query.tag.some((tag) => spec.tags.includes(tag));
    if (!hostOk || !tagOk) continue;
    total++;
    if (ctx.fleet.get(spec.name)?.health.state === 'online') online++;
  }
  return { online, offline: total - online, total };
}
