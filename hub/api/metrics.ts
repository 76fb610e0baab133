/**
 * GET /metrics in Prometheus' text format (version 0.0.4): agent up,
 * process state per process, events stored per agent since the hub started,
 * operations by action and status, and the live feed's subscribers.
 */
import type { FastifyInstance } from 'fastify';
import { operationCounts } from '../store/op-counts.js';
import type { ApiContext } from './context.js';
import { errorResponses } from './schemas.js';

type Labels = Record<string, string>;

class Exposition {
  readonly #lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Labels, number]>): void {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.#lines.push(`${name}${labelText(labels)} ${Number.isFinite(value) ? value : 0}`);
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function renderMetrics(ctx: ApiContext): string {
  const out = new Exposition();
  const agents = ctx.fleet.agents().map((spec) => spec.name).sort();
  const health = new Map(ctx.fleet.health().map((h) => [h.agent, h]));
  out.family(
    'fleetvisor_agent_up',
    'gauge',
    '1 when the hub reaches the agent, else 0',
    agents.map((agent) => [{ agent }, health.get(agent)?.state === 'online' ? 1 : 0]),
  );
  out.family(
    'fleetvisor_agent_latency_ms',
    'gauge',
    "Round trip of the agent's last answered short call, ms",
    agents.flatMap((agent): Array<[Labels, number]> => {
      const latency = health.get(agent)?.latencyMs;
      return latency === undefined ? [] : [[{ agent }, latency]];
    }),
  );
  out.family(
    'fleetvisor_process_state',
    'gauge',
    'Each process with its current state (always 1)',
    ctx.store.snapshot.list().map((row) => [{ agent: row.agent, group: row.group, process: row.name, state: row.state }, 1]),
  );
  const ingested = ctx.sink.ingestedCounts();
  out.family(
    'fleetvisor_events_ingested_total',
    'counter',
    'Events stored per agent since the hub started',
    [...new Set([...agents, ...ingested.keys()])].sort().map((agent) => [{ agent }, ingested.get(agent) ?? 0]),
  );
  out.family('fleetvisor_events_stored', 'gauge', 'Events in the history now (after retention)', [[{}, ctx.store.events.count()]]);
  out.family(
    'fleetvisor_operations_total',
    'counter',
    'Operations by action and status (running ones too)',
    operationCounts(ctx.store.db).map((row) => [{ action: row.action, status: row.status }, row.count]),
  );
  out.family('fleetvisor_stream_subscribers', 'gauge', 'Clients of the live feed', [[{}, ctx.feed.subscribers]]);
  out.family('fleetvisor_stream_dropped_total', 'counter', 'Live-feed clients disconnected for reading too slowly', [[{}, ctx.feed.dropped]]);
  out.family('fleetvisor_log_streams', 'gauge', 'Live log tails relayed now', [[{}, ctx.logs.open]]);
  return out.text();
}

export async function metricsRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get(
    '/metrics',
    {
      config: { access: 'viewer' },
      schema: { summary: 'Prometheus metrics (send a bearer token from the scraper)', tags: ['other'], response: { 200: { type: 'string' }, ...errorResponses } },
    },
    async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(ctx)),
  );

  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { summary: 'Liveness of the hub itself', tags: ['other'], response: { 200: { type: 'string' } } } },
    async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok'),
  );
}
