import type { XmlRpcValue } from '../../node-agent/api/types.js';
import type { TailFetcher } from './crash-context.js';
import type { HealthTracker } from './health.js';
import type { SnapshotKeeper } from './snapshot.js';
import type { Clock, ConnectorTimeouts, EventSink } from './types.js';

export interface AgentCallOptions {
  /** A fleetvisor.getEvents long-poll: its own per-agent slot, outside the shared limiter, timeout longPoll + call. */
  longPoll?: boolean;
  timeoutMs?: number;
}

export type AgentCall = <T = XmlRpcValue>(method: string, params?: readonly XmlRpcValue[], opts?: AgentCallOptions) => Promise<T>;

/** What the subscribe and poll loops get from their connector. */
export interface AgentSession {
  readonly agent: string;
  readonly sink: EventSink;
  readonly clock: Clock;
  readonly snapshot: SnapshotKeeper;
  readonly health: HealthTracker;
  readonly timeouts: ConnectorTimeouts;
  readonly pollIntervalMs: number;
  readonly call: AgentCall;
  readonly fetchTail: TailFetcher;
  /** True once stop() was called: loops return, and store nothing more. */
  isStopped(): boolean;
  /** Waits `ms`, or less when the connector stops. */
  sleep(ms: number): Promise<void>;
  /** The first exchange after connecting worked: the backoff starts over. */
  connected(): void;
}
