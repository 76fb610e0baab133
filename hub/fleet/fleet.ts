/**
 * The registry of connectors, one per agent, sharing one limiter for short
 * calls. Agents come and go at runtime; every batch the connectors store is
 * also emitted ('events', 'health', 'snapshot') for the API's live feed.
 */
import { EventEmitter } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import type { AgentHealth, AgentSpec, HubEvent, ProcessSnapshot } from '../types.js';
import { AgentConnector } from './connector.js';
import type { BackoffOptions, Clock, ConnectorTimeouts, EventSink } from './types.js';

export interface FleetOptions {
  sink: EventSink;
  /** Short calls in flight at once across all agents (default 64). */
  concurrency?: number;
  timeouts: ConnectorTimeouts;
  pollIntervalMs: number;
  clock?: Clock;
  backoff?: BackoffOptions;
  perAgentConcurrency?: number;
}

export type AgentChange = 'added' | 'updated' | 'removed';

export interface FleetEvents {
  /** Stored events of one agent (ids as the sink set them, if it does). */
  events: [agent: string, events: HubEvent[]];
  health: [health: AgentHealth];
  /** `full`: rows is the agent's whole table; otherwise the changed rows. */
  snapshot: [agent: string, rows: ProcessSnapshot[], full: boolean];
  agents: [change: AgentChange, spec: AgentSpec];
}

export class Fleet extends EventEmitter<FleetEvents> {
  readonly limit: LimitFunction;
  readonly #opts: FleetOptions;
  readonly #sink: EventSink;
  readonly #connectors = new Map<string, AgentConnector>();
  #started = false;

  constructor(opts: FleetOptions) {
    super();
    this.#opts = opts;
    this.limit = pLimit(opts.concurrency ?? 64);
    this.#sink = this.#teeSink(opts.sink);
  }

  /** Starts every registered connector; agents added later start at once. */
  start(): void {
    this.#started = true;
    for (const connector of this.#connectors.values()) connector.start();
  }

  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#connectors.values()].map((connector) => connector.stop()));
  }

  add(spec: AgentSpec): AgentConnector {
    if (this.#connectors.has(spec.name)) throw new FleetvisorError('FV_USAGE', `agent '${spec.name}' is already followed`);
    const connector = this.#connect(spec);
    this.emit('agents', 'added', spec);
    return connector;
  }

  /** Replaces an agent's spec: its connector restarts with it and resumes from the stored cursor. */
  async update(spec: AgentSpec): Promise<AgentConnector> {
    const old = this.#require(spec.name);
    await old.stop();
    this.#connectors.delete(spec.name);
    const connector = this.#connect(spec);
    this.emit('agents', 'updated', spec);
    return connector;
  }

  async remove(name: string): Promise<void> {
    const connector = this.#require(name);
    await connector.stop();
    this.#connectors.delete(name);
    this.emit('agents', 'removed', connector.spec);
  }

  has(name: string): boolean {
    return this.#connectors.has(name);
  }

  get(name: string): AgentConnector | undefined {
    return this.#connectors.get(name);
  }

  agents(): AgentSpec[] {
    return [...this.#connectors.values()].map((connector) => connector.spec);
  }

  health(): AgentHealth[] {
    return [...this.#connectors.values()].map((connector) => connector.health);
  }

  snapshot(name: string): ProcessSnapshot[] {
    return this.#require(name).snapshot;
  }

  #connect(spec: AgentSpec): AgentConnector {
    const { timeouts, pollIntervalMs, clock, backoff, perAgentConcurrency } = this.#opts;
    const connector = new AgentConnector(spec, {
      sink: this.#sink,
      limit: this.limit,
      timeouts,
      pollIntervalMs,
      ...(clock ? { clock } : {}),
      ...(backoff ? { backoff } : {}),
      ...(perAgentConcurrency ? { perAgentConcurrency } : {}),
    });
    this.#connectors.set(spec.name, connector);
    if (this.#started) connector.start();
    return connector;
  }

  #require(name: string): AgentConnector {
    const connector = this.#connectors.get(name);
    if (connector === undefined) throw new FleetvisorError('FV_USAGE', `no agent named '${name}'`);
    return connector;
  }

  /** The sink the connectors write to: the real one first, then the live feed. */
  #teeSink(sink: EventSink): EventSink {
    return {
      lastKnown: (agent) => sink.lastKnown(agent),
      getCursor: (agent) => sink.getCursor(agent),
      ingest: (agent, events, cursor) => {
        sink.ingest(agent, events, cursor);
        if (events.length > 0) this.emit('events', agent, events);
      },
      replaceSnapshot: (agent, rows) => {
        sink.replaceSnapshot(agent, rows);
        this.emit('snapshot', agent, rows, true);
      },
      updateSnapshot: (agent, row) => {
        sink.updateSnapshot(agent, row);
        this.emit('snapshot', agent, [row], false);
      },
      onHealth: (health) => {
        sink.onHealth(health);
        this.emit('health', health);
      },
    };
  }
}
