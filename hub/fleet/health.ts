/**
 * One agent's health: what a failed call means (offline, auth failed,
 * incompatible) and the tracker that reports changes to the sink, each
 * state change also as a HUB_AGENT_HEALTH event in the history.
 */
import { HttpStatusError } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { Faults } from '../../node-agent/api/faults.js';
import { HubEventTypes, type AgentHealth, type AgentKind, type HealthState } from '../types.js';
import { hubMadeEvent } from './normalize.js';
import type { Clock, EventSink } from './types.js';

export interface Failure {
  state: Exclude<HealthState, 'online' | 'unknown'>;
  error: string;
}

/** Last-contact-only updates reach the sink at most this often. */
const CONTACT_REPORT_MS = 5000;

export function classifyFailure(err: unknown): Failure {
  const error = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'FV_AGENT_INCOMPATIBLE') return { state: 'incompatible', error };
  if ((err as { name?: unknown } | undefined)?.name === 'RpcFault') {
    const faultCode = (err as { faultCode?: unknown }).faultCode;
    return { state: faultCode === Faults.UNKNOWN_METHOD ? 'incompatible' : 'offline', error };
  }
  if (err instanceof FleetvisorError && err.code === 'FV_RPC_TRANSPORT') {
    const cause = err.cause;
    if (cause instanceof HttpStatusError) {
      if (cause.status === 401) return { state: 'auth_failed', error };
      // Something answers HTTP there, but not the XML-RPC endpoint.
      if (cause.status === 404 || cause.status === 405 || cause.status === 501) return { state: 'incompatible', error };
    }
    const causeCode = (cause as { code?: unknown } | undefined)?.code;
    if (causeCode === 'FV_XMLRPC_PARSE' || causeCode === 'FV_XMLRPC_UNSUPPORTED') return { state: 'incompatible', error };
  }
  return { state: 'offline', error };
}

export interface OnlineFacts {
  kind: AgentKind;
  version?: string;
  boot?: string;
}

export class HealthTracker {
  #health: AgentHealth;
  #reportedAt = 0;

  /**
   * `clean` takes credentials out of error texts (they quote the agent's
   * URL) before the health is reported or stored in the history.
   */
  constructor(
    agent: string,
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly clean: (text: string) => string = (text) => text,
  ) {
    this.#health = { agent, state: 'unknown', kind: 'unknown' };
  }

  get current(): AgentHealth {
    return { ...this.#health };
  }

  /** A call succeeded after `latencyMs`. */
  contact(latencyMs: number): void {
    const now = this.clock.now();
    this.#health.lastContact = now;
    this.#health.latencyMs = latencyMs;
    if (now - this.#reportedAt >= CONTACT_REPORT_MS) this.#report();
  }

  online(facts: OnlineFacts): void {
    const next: AgentHealth = { ...this.#health, state: 'online', kind: facts.kind };
    delete next.error;
    if (facts.version !== undefined) next.version = facts.version;
    if (facts.boot !== undefined) next.boot = facts.boot;
    this.#change(next);
  }

  setBoot(boot: string): void {
    if (this.#health.boot !== boot) this.#change({ ...this.#health, boot });
  }

  fail(failure: Failure): void {
    this.#change({ ...this.#health, state: failure.state, error: this.clean(failure.error) });
  }

  #change(next: AgentHealth): void {
    const before = this.#health;
    this.#health = next;
    const changed = (['state', 'kind', 'version', 'boot', 'error'] as const).some((key) => before[key] !== next[key]);
    if (!changed) return;
    if (before.state !== next.state) {
      const details: Record<string, unknown> = { state: next.state, kind: next.kind };
      if (next.version !== undefined) details.version = next.version;
      if (next.error !== undefined) details.error = next.error;
      const event = hubMadeEvent(next.agent, next.boot ?? '', this.clock.now(), HubEventTypes.AGENT_HEALTH, details, {
        fromState: before.state,
        toState: next.state,
      });
      this.sink.ingest(next.agent, [event]);
    }
    this.#report();
  }

  #report(): void {
    this.#reportedAt = this.clock.now();
    this.sink.onHealth(this.current);
  }
}
