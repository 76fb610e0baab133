/**
 * Server-sent events: one connection (SseConnection) and the hub's one
 * shared live feed (LiveFeed), which listens to the fleet once and fans each
 * message out to the subscribers whose filter it passes. Every message is
 * serialised once for all clients. A client that does not read is never
 * buffered for without bound: past `maxBufferedBytes` unsent, it is
 * disconnected (an EventSource reconnects with Last-Event-ID and the stream
 * route replays from the store).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgentChange, Fleet } from '../fleet/fleet.js';
import { makeNamespec } from '../../node-agent/api/namespec.js';
import { compileGlob } from '../ops/glob.js';
import type { ProgressEvent } from '../ops/types.js';
import type { AgentHealth, AgentSpec, HubEvent, ProcessSnapshot } from '../types.js';
import { agentView } from './agent-view.js';
import { ApiError } from './errors.js';

export const SSE_DEFAULTS = { maxBufferedBytes: 1 << 20, heartbeatMs: 15_000 } as const;

export class SseConnection {
  readonly #res: ServerResponse;
  readonly #maxBufferedBytes: number;
  readonly #onClose = new Set<() => void>();
  #closed = false;
  #slow = false;

  constructor(req: IncomingMessage, res: ServerResponse, maxBufferedBytes: number = SSE_DEFAULTS.maxBufferedBytes) {
    this.#res = res;
    this.#maxBufferedBytes = maxBufferedBytes;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const closed = (): void => this.#closedByPeer();
    req.socket.once('close', closed);
    res.once('close', closed);
    res.on('error', () => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Dropped for not reading fast enough. */
  get slow(): boolean {
    return this.#slow;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#onClose.add(listener);
  }

  /** Writes a frame (see `frame()`); false when the client is gone or was dropped for being slow. */
  write(text: string): boolean {
    if (this.#closed) return false;
    if (this.#res.writableLength > this.#maxBufferedBytes) {
      this.#slow = true;
      this.close(true);
      return false;
    }
    this.#res.write(text);
    return true;
  }

  /** The client has not yet taken what was written: stop producing until `onDrain`. */
  get congested(): boolean {
    return this.#res.writableNeedDrain;
  }

  onDrain(listener: () => void): void {
    this.#res.once('drain', listener);
  }

  send(event: string, data: unknown, id?: number): boolean {
    return this.write(frame(event, data, id));
  }

  /** Ends the stream; `abort` cuts the connection without waiting for buffered data. */
  close(abort = false): void {
    if (this.#closed) return;
    this.#closed = true;
    if (abort) this.#res.destroy();
    else this.#res.end();
    this.#fire();
  }

  #closedByPeer(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#fire();
  }

  #fire(): void {
    for (const listener of this.#onClose) listener();
    this.#onClose.clear();
  }
}

/** Takes the response over from fastify and opens an event stream on it. */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, maxBufferedBytes?: number): SseConnection {
  reply.hijack();
  return new SseConnection(request.raw, reply.raw, maxBufferedBytes);
}

export function frame(event: string, data: unknown, id?: number): string {
  const json = JSON.stringify(data);
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json}\n\n`;
}

export const FEED_KINDS = ['hub-event', 'health', 'snapshot', 'operation', 'agent'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface FeedFilterInput {
  hosts?: readonly string[];
  tags?: readonly string[];
  groups?: readonly string[];
  processes?: readonly string[];
  /** Event types, exact or a prefix (PROCESS_STATE matches PROCESS_STATE_RUNNING). */
  types?: readonly string[];
  kinds?: readonly FeedKind[];
}

/** A subscriber's filter, compiled once. */
export class FeedFilter {
  readonly #hosts: RegExp[];
  readonly #groups: RegExp[];
  readonly #processes: RegExp[];
  readonly #tags: ReadonlySet<string>;
  readonly #types: readonly string[];
  readonly #kinds: ReadonlySet<FeedKind>;

  constructor(input: FeedFilterInput) {
    this.#hosts = globs(input.hosts, 'host');
    this.#groups = globs(input.groups, 'group');
    this.#processes = globs(input.processes, 'process');
    this.#tags = new Set(input.tags ?? []);
    this.#types = input.types ?? [];
    this.#kinds = new Set(input.kinds !== undefined && input.kinds.length > 0 ? input.kinds : FEED_KINDS);
  }

  wants(kind: FeedKind): boolean {
    return this.#kinds.has(kind);
  }

  agent(name: string, tags: readonly string[]): boolean {
    if (this.#hosts.length > 0 && !this.#hosts.some((glob) => glob.test(name))) return false;
    return this.#tags.size === 0 || tags.some((tag) => this.#tags.has(tag));
  }

  process(group: string | undefined, name: string | undefined): boolean {
    if (this.#groups.length > 0 && (group === undefined || !this.#groups.some((glob) => glob.test(group)))) return false;
    return this.#processes.length === 0 || (name !== undefined && this.#processes.some((glob) => glob.test(name)));
  }

  type(type: string): boolean {
    return this.#types.length === 0 || this.#types.some((wanted) => type === wanted || type.startsWith(`${wanted}_`));
  }
}

function globs(patterns: readonly string[] | undefined, what: string): RegExp[] {
  return (patterns ?? []).map((pattern) => {
    const compiled = compileGlob(pattern);
    if (typeof compiled === 'string') throw new ApiError('FV_API_BAD_REQUEST', `${what} pattern '${pattern}': ${compiled}`);
    return compiled;
  });
}

interface Subscriber {
  connection: SseConnection;
  filter: FeedFilter;
}

export interface LiveFeedOptions {
  heartbeatMs?: number;
}

export class LiveFeed {
  readonly #fleet: Fleet;
  readonly #subscribers = new Set<Subscriber>();
  readonly #timer: NodeJS.Timeout;
  readonly #detach: () => void;
  /** Each agent's tags as last announced: an edit is sent to the clients its old tags matched, too. */
  readonly #announcedTags = new Map<string, readonly string[]>();
  #dropped = 0;

  constructor(fleet: Fleet, options: LiveFeedOptions = {}) {
    this.#fleet = fleet;
    for (const spec of fleet.agents()) this.#announcedTags.set(spec.name, spec.tags);
    const onEvents = (agent: string, events: HubEvent[]): void => this.#events(agent, events);
    const onHealth = (health: AgentHealth): void => this.#health(health);
    const onSnapshot = (agent: string, rows: ProcessSnapshot[], full: boolean): void => this.#snapshot(agent, rows, full);
    const onAgents = (change: AgentChange, spec: AgentSpec): void => this.#agent(change, spec);
    fleet.on('events', onEvents);
    fleet.on('health', onHealth);
    fleet.on('snapshot', onSnapshot);
    fleet.on('agents', onAgents);
    this.#detach = () => {
      fleet.off('events', onEvents);
      fleet.off('health', onHealth);
      fleet.off('snapshot', onSnapshot);
      fleet.off('agents', onAgents);
    };
    // One timer for every client: a comment keeps proxies from closing a quiet stream.
    this.#timer = setInterval(() => this.#broadcast(() => true, ': keep-alive\n\n'), options.heartbeatMs ?? SSE_DEFAULTS.heartbeatMs);
    this.#timer.unref();
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  /** Clients disconnected for not reading fast enough. */
  get dropped(): number {
    return this.#dropped;
  }

  add(connection: SseConnection, filter: FeedFilter): void {
    const subscriber = { connection, filter };
    this.#subscribers.add(subscriber);
    connection.onClose(() => this.#subscribers.delete(subscriber));
  }

  /** Progress of an operation started through the API. */
  publishOperation(id: number, progress: ProgressEvent): void {
    this.#broadcast((filter) => filter.wants('operation'), frame('operation', { id, ...progress }));
  }

  close(): void {
    clearInterval(this.#timer);
    this.#detach();
    for (const { connection } of [...this.#subscribers]) connection.close();
    this.#subscribers.clear();
  }

  #tagsOf(agent: string): readonly string[] {
    return this.#fleet.get(agent)?.spec.tags ?? [];
  }

  #events(agent: string, events: HubEvent[]): void {
    if (this.#subscribers.size === 0) return;
    const tags = this.#tagsOf(agent);
    for (const event of events) {
      // No id: the store already had it (a replay after a reconnect), so it was sent before.
      if (event.id === undefined) continue;
      const text = frame('hub-event', event, event.id);
      this.#broadcast((filter) => filter.wants('hub-event') && filter.agent(agent, tags) && filter.type(event.type) && filter.process(event.group, event.process), text);
    }
  }

  #health(health: AgentHealth): void {
    if (this.#subscribers.size === 0) return;
    const tags = this.#tagsOf(health.agent);
    // Health errors are cleaned of credentials where they are made (hub/fleet/connector.ts).
    const text = frame('health', health);
    this.#broadcast((filter) => filter.wants('health') && filter.agent(health.agent, tags), text);
  }

  #snapshot(agent: string, rows: ProcessSnapshot[], full: boolean): void {
    if (this.#subscribers.size === 0) return;
    const tags = this.#tagsOf(agent);
    const all = rows.map((row) => ({ ...row, namespec: makeNamespec(row.group, row.name) }));
    const unfiltered = frame('snapshot', { agent, full, processes: all });
    for (const subscriber of [...this.#subscribers]) {
      const { filter } = subscriber;
      if (!filter.wants('snapshot') || !filter.agent(agent, tags)) continue;
      const mine = all.filter((row) => filter.process(row.group, row.name));
      if (mine.length === 0 && !full) continue;
      this.#deliver(subscriber, mine.length === all.length ? unfiltered : frame('snapshot', { agent, full, processes: mine }));
    }
  }

  /** An agent added, edited or removed, shown as GET /api/v1/agents/:name shows it (never its credentials). */
  #agent(change: AgentChange, spec: AgentSpec): void {
    const before = this.#announcedTags.get(spec.name) ?? spec.tags;
    if (change === 'removed') this.#announcedTags.delete(spec.name);
    else this.#announcedTags.set(spec.name, spec.tags);
    if (this.#subscribers.size === 0) return;
    const health = change === 'removed' ? undefined : this.#fleet.get(spec.name)?.health;
    const text = frame('agent', { change, agent: agentView(spec, health) });
    // A tag edit can move a host into or out of a client's tag filter: clients on either side hear of it.
    this.#broadcast((filter) => filter.wants('agent') && (filter.agent(spec.name, spec.tags) || filter.agent(spec.name, before)), text);
  }

  #broadcast(wants: (filter: FeedFilter) => boolean, text: string): void {
    for (const subscriber of [...this.#subscribers]) if (wants(subscriber.filter)) this.#deliver(subscriber, text);
  }

  #deliver(subscriber: Subscriber, text: string): void {
    if (subscriber.connection.write(text)) return;
    this.#subscribers.delete(subscriber);
    if (subscriber.connection.slow) this.#dropped++;
  }
}
