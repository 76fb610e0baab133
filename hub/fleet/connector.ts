/**
 * One connector per agent: connects, finds out what the agent is, then
 * subscribes (fleetvisord) or polls (supervisord) until stopped; on failure it
 * records why (health) and reconnects after a capped exponential backoff.
 *
 * Every call is bounded: short calls by this agent's own limiter and the
 * fleet's shared one, with a timeout each; the long-poll by a per-agent
 * limiter of one and never by the shared one, so an agent that hangs holds
 * at most `perAgentConcurrency` shared slots, each for one call timeout.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { XmlRpcClient } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import type { TailResult, XmlRpcValue } from '../../node-agent/api/types.js';
import type { AgentHealth, AgentSpec, ProcessSnapshot } from '../types.js';
import { Backoff } from './backoff.js';
import { CRASH_TAIL_BYTES, tailText, type LogChannel } from './crash-context.js';
import { handshake } from './handshake.js';
import { classifyFailure, HealthTracker } from './health.js';
import { runPolling } from './poll.js';
import type { AgentCallOptions, AgentSession } from './session.js';
import { SnapshotKeeper } from './snapshot.js';
import { runSubscription } from './subscribe.js';
import { systemClock, type BackoffOptions, type Clock, type ConnectorTimeouts, type EventSink } from './types.js';
import { redactText } from '../redact.js';

export interface ConnectorDeps {
  sink: EventSink;
  /** The fleet's shared limiter for short calls. */
  limit: LimitFunction;
  timeouts: ConnectorTimeouts;
  pollIntervalMs: number;
  clock?: Clock;
  backoff?: BackoffOptions;
  /** Short calls in flight at once to this agent (default 2). */
  perAgentConcurrency?: number;
}

export class AgentConnector {
  readonly spec: AgentSpec;
  readonly #deps: ConnectorDeps;
  readonly #clock: Clock;
  readonly #health: HealthTracker;
  readonly #snapshot: SnapshotKeeper;
  readonly #backoff: Backoff;
  readonly #agentLimit: LimitFunction;
  readonly #longPollLimit = pLimit(1);
  #client: XmlRpcClient | undefined;
  #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #stopped = true;
  #lastBoot: string | undefined;

  constructor(spec: AgentSpec, deps: ConnectorDeps) {
    this.spec = spec;
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#health = new HealthTracker(spec.name, deps.sink, this.#clock, (text) => redactText(text, spec));
    this.#snapshot = new SnapshotKeeper(spec.name, deps.sink, this.#clock);
    this.#backoff = new Backoff(deps.backoff);
    this.#agentLimit = pLimit(deps.perAgentConcurrency ?? 2);
  }

  get name(): string {
    return this.spec.name;
  }

  get health(): AgentHealth {
    return this.#health.current;
  }

  get snapshot(): ProcessSnapshot[] {
    return this.#snapshot.rows;
  }

  get running(): boolean {
    return !this.#stopped;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#abort = new AbortController();
    // Read before the first contact, which the store records over the old one.
    this.#snapshot.recall(this.#deps.sink.lastKnown(this.spec.name));
    this.#client = new XmlRpcClient({
      url: this.spec.url,
      username: this.spec.username,
      password: this.spec.password,
      timeoutMs: this.#deps.timeouts.callMs,
    });
    this.#loop = this.#run();
  }

  /** Ends the loop: calls in flight are cut, nothing more is stored. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    this.#client?.close();
    await this.#loop;
    this.#loop = undefined;
  }

  /**
   * One XML-RPC call to the agent, bounded like the connector's own (for
   * operations: start/stop/tail…). Rejects with RpcFault or FleetvisorError.
   */
  call<T = XmlRpcValue>(method: string, params: readonly XmlRpcValue[] = [], opts: AgentCallOptions = {}): Promise<T> {
    const client = this.#client;
    if (this.#stopped || client === undefined) return Promise.reject(this.#stoppedError(method));
    const { callMs, longPollSeconds } = this.#deps.timeouts;
    const timeoutMs = opts.timeoutMs ?? (opts.longPoll ? longPollSeconds * 1000 + callMs : callMs);
    const run = async (): Promise<T> => {
      if (this.#stopped) throw this.#stoppedError(method);
      const started = performance.now();
      try {
        const value = await client.call<T>(method, params, { timeoutMs });
        this.#health.contact(opts.longPoll ? (this.#health.current.latencyMs ?? 0) : Math.round(performance.now() - started));
        return value;
      } catch (err) {
        // A fault is an answer: the agent is there.
        if ((err as { name?: unknown }).name === 'RpcFault') this.#health.contact(Math.round(performance.now() - started));
        throw err;
      }
    };
    return opts.longPoll ? this.#longPollLimit(run) : this.#agentLimit(() => this.#deps.limit(run));
  }

  async #run(): Promise<void> {
    const session = this.#session();
    while (!this.#stopped) {
      try {
        const facts = await handshake(session.call);
        if (this.#stopped) break;
        this.#health.online({ kind: facts.kind, version: facts.version, boot: facts.boot });
        const previousBoot = this.#lastBoot;
        this.#lastBoot = facts.boot;
        if (facts.kind === 'fleetvisord') await runSubscription(session);
        else await runPolling(session, facts.boot, previousBoot);
      } catch (err) {
        if (this.#stopped) break;
        this.#health.fail(classifyFailure(err));
        await session.sleep(this.#backoff.next());
      }
    }
  }

  #session(): AgentSession {
    return {
      agent: this.spec.name,
      sink: this.#deps.sink,
      clock: this.#clock,
      snapshot: this.#snapshot,
      health: this.#health,
      timeouts: this.#deps.timeouts,
      pollIntervalMs: this.#deps.pollIntervalMs,
      call: (method, params, opts) => this.call(method, params, opts),
      fetchTail: (namespec, channel) => this.#fetchTail(namespec, channel),
      isStopped: () => this.#stopped,
      sleep: (ms) => this.#sleep(ms),
      connected: () => this.#backoff.reset(),
    };
  }

  async #fetchTail(namespec: string, channel: LogChannel): Promise<string | undefined> {
    const method = channel === 'stdout' ? 'supervisor.tailProcessStdoutLog' : 'supervisor.tailProcessStderrLog';
    try {
      const [data, , overflow] = await this.call<TailResult>(method, [namespec, 0, CRASH_TAIL_BYTES]);
      return typeof data === 'string' ? tailText(data, overflow === true) : undefined;
    } catch {
      // No log for that channel (NO_FILE), or the agent went away: the event is kept without it.
      return undefined;
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped || ms <= 0) return Promise.resolve();
    return delay(ms, undefined, { signal: this.#abort.signal }).catch(() => undefined);
  }

  #stoppedError(method: string): FleetvisorError {
    return new FleetvisorError('FV_RPC_TRANSPORT', `${this.spec.url}: ${method} not sent: the connector for ${this.spec.name} is stopped`);
  }
}
