/**
 * /api/v1/events, /summary, /flapping, /crashes: the fleet's history from
 * the store; /stream: the live feed (sse.ts), replaying from the store what
 * a reconnecting EventSource missed (Last-Event-ID).
 */
import type { FastifyInstance } from 'fastify';
import { encodeCursor, type EventFilter } from '../store/index.js';
import type { ProcessSummary } from '../store/summaries.js';
import { parseTimeSpec } from '../store/time-spec.js';
import type { HubEvent } from '../types.js';
import type { ApiContext } from './context.js';
import { arrayOf, errorResponses, eventPageSchema, eventStreamResponse, hubEventSchema, object, repeatable } from './schemas.js';
import { FEED_KINDS, FeedFilter, openEventStream, type FeedKind } from './sse.js';

interface SelectorQuery {
  host?: string[];
  tag?: string[];
  group?: string[];
  process?: string[];
}

interface EventQuery extends SelectorQuery {
  type?: string[];
  state?: string[];
  since?: string;
  until?: string;
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
}

/** Replayed at most to a reconnecting live-feed client; older gaps are for /events. */
export const STREAM_REPLAY_MAX = 1000;
export const SUMMARY_DEFAULT_SINCE = '24h';

const str = { type: 'string' };
const selectorProps = { host: repeatable, tag: repeatable, group: repeatable, process: repeatable };
const nullableNumber = { type: ['number', 'null'] };

const summaryRow = object(
  {
    agent: str,
    agents: arrayOf(str),
    group: str,
    process: str,
    starts: { type: 'integer' },
    unexpectedExits: { type: 'integer' },
    fatals: { type: 'integer' },
    runningSeconds: { type: 'number' },
    uptimePct: nullableNumber,
    mtbfSeconds: nullableNumber,
    lastExit: hubEventSchema,
  },
  ['agents', 'group', 'process', 'starts', 'unexpectedExits', 'fatals', 'runningSeconds', 'uptimePct', 'mtbfSeconds'],
);

function selectorOf(query: SelectorQuery): Pick<EventFilter, 'hosts' | 'tags' | 'groups' | 'processes'> {
  return { hosts: query.host, tags: query.tag, groups: query.group, processes: query.process };
}

export async function eventRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: EventQuery }>(
    '/api/v1/events',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'The fleet history, one page at a time (keyset cursor in `next`)',
        tags: ['events'],
        querystring: object({
          ...selectorProps,
          type: repeatable,
          state: repeatable,
          since: str,
          until: str,
          limit: { type: 'integer', minimum: 1, maximum: 10_000 },
          order: { type: 'string', enum: ['desc', 'asc'] },
          after: str,
        }),
        response: { 200: eventPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return ctx.store.history.query({ ...selectorOf(q), types: q.type, states: q.state, since: q.since, until: q.until, limit: q.limit, order: q.order, after: q.after });
    },
  );

  app.get<{ Querystring: SelectorQuery & { since?: string; until?: string; by: 'host' | 'fleet' } }>(
    '/api/v1/summary',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Starts, unexpected exits, fatals, uptime and MTBF per process over a window (default the last 24 h), per host or across the fleet',
        tags: ['events'],
        querystring: object({ ...selectorProps, since: str, until: str, by: { type: 'string', enum: ['host', 'fleet'], default: 'host' } }),
        response: { 200: object({ from: { type: 'number' }, to: { type: 'number' }, rows: arrayOf(summaryRow) }, ['from', 'to', 'rows']), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const now = Date.now();
      const since = q.since ?? SUMMARY_DEFAULT_SINCE;
      const from = parseTimeSpec(since, now);
      const to = q.until === undefined ? now : parseTimeSpec(q.until, now);
      const rows = ctx.store.summaries.summarize({ ...selectorOf(q), since: from, until: to, acrossHosts: q.by === 'fleet' }, now);
      return { from, to, rows: rows.map(summaryView) };
    },
  );

  app.get<{ Querystring: SelectorQuery }>(
    '/api/v1/flapping',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Processes with at least flapping_count unexpected exits in the last flapping_minutes (hub.ini)',
        tags: ['events'],
        querystring: object(selectorProps),
        response: {
          200: object(
            {
              count: { type: 'integer' },
              minutes: { type: 'integer' },
              processes: arrayOf(
                object({ agent: str, group: str, process: str, exits: { type: 'integer' }, firstExit: { type: 'number' }, lastExit: { type: 'number' } }, ['agent', 'group', 'process', 'exits', 'lastExit']),
              ),
            },
            ['count', 'minutes', 'processes'],
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { count, minutes } = ctx.config.flapping;
      return { count, minutes, processes: ctx.store.summaries.flapping({ ...selectorOf(request.query), minExits: count, windowMinutes: minutes }) };
    },
  );

  app.get<{ Querystring: SelectorQuery & { since?: string; limit: number; after?: string } }>(
    '/api/v1/crashes',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Crashes (unexpected exits and FATAL), newest first, with the log lines saved when they happened',
        tags: ['events'],
        querystring: object({ ...selectorProps, since: str, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 }, after: str }),
        response: { 200: eventPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const base: EventFilter = { ...selectorOf(q), types: ['PROCESS_STATE_EXITED', 'PROCESS_STATE_FATAL'], since: q.since, order: 'desc', limit: Math.min(1000, q.limit * 2) };
      const events: HubEvent[] = [];
      let after = q.after;
      // Expected exits are filtered out here, so a page may need a few store pages; bounded.
      for (let pages = 0; pages < 20; pages++) {
        const page = ctx.store.history.query({ ...base, ...(after !== undefined ? { after } : {}) });
        for (const event of page.events) {
          if (!isCrash(event)) continue;
          events.push(event);
          if (events.length === q.limit) return { events, next: encodeCursor({ time: event.time, id: event.id! }) };
        }
        if (page.next === undefined) return { events };
        after = page.next;
      }
      const last = events.at(-1);
      return last === undefined ? { events, next: after } : { events, next: encodeCursor({ time: last.time, id: last.id! }) };
    },
  );

  app.get<{ Querystring: SelectorQuery & { type?: string[]; kind?: FeedKind[] } }>(
    '/api/v1/stream',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'The live feed: event: hub-event | health | snapshot | operation | agent; hub-events carry their id, and a reconnect with Last-Event-ID replays what was missed',
        tags: ['events'],
        querystring: object({ ...selectorProps, type: repeatable, kind: arrayOf({ type: 'string', enum: [...FEED_KINDS] }) }),
        response: { ...eventStreamResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const filter = new FeedFilter({ hosts: q.host, tags: q.tag, groups: q.group, processes: q.process, types: q.type, kinds: q.kind });
      const missed = replayAfter(ctx, request.headers['last-event-id'], q);
      // Store reads and the subscription happen in one turn: no event can fall between them.
      const connection = openEventStream(request, reply);
      connection.write('retry: 2000\n\n');
      for (const event of missed) connection.send('hub-event', event, event.id);
      ctx.feed.add(connection, filter);
      return reply;
    },
  );
}

function replayAfter(ctx: ApiContext, header: string | string[] | undefined, q: SelectorQuery & { type?: string[]; kind?: FeedKind[] }): HubEvent[] {
  if (typeof header !== 'string' || !/^\d+$/.test(header)) return [];
  if (q.kind !== undefined && q.kind.length > 0 && !q.kind.includes('hub-event')) return [];
  const last = ctx.store.events.getEvent(Number(header));
  if (last === undefined) return [];
  const after = encodeCursor({ time: last.time, id: last.id! });
  return ctx.store.history.query({ ...selectorOf(q), types: q.type, order: 'asc', after, limit: STREAM_REPLAY_MAX }).events;
}

function isCrash(event: HubEvent): boolean {
  if (event.type === 'PROCESS_STATE_FATAL') return true;
  return event.expected === false || (event.expected === undefined && event.exitStatus !== undefined && event.exitStatus !== 0);
}

function summaryView(row: ProcessSummary): Record<string, unknown> {
  const view: Record<string, unknown> = {
    agents: row.agents,
    group: row.group,
    process: row.process,
    starts: row.starts,
    unexpectedExits: row.unexpectedExits,
    fatals: row.fatals,
    runningSeconds: row.runningMs / 1000,
    uptimePct: row.uptimePercent,
    mtbfSeconds: row.mtbfMs === null ? null : row.mtbfMs / 1000,
  };
  if (row.agent !== undefined) view.agent = row.agent;
  if (row.lastExit !== undefined) view.lastExit = row.lastExit;
  return view;
}
