/**
 * The hub's shared vocabulary: what connectors produce, what the store keeps,
 * what the API and operations consume. Times are epoch milliseconds.
 */

/** One agent (host) the hub follows. */
export interface AgentSpec {
  /** Unique host name as the operator calls it (the [agent:NAME] of hub.ini). */
  name: string;
  /** http://host:port, https://host:port or unix:///path/to.sock */
  url: string;
  username?: string;
  password?: string;
  tags: string[];
  /** 'config' = from hub.ini (read-only through the API); 'api' = added at runtime, persisted in SQLite. */
  source: 'config' | 'api';
}

export type AgentKind = 'fleetvisord' | 'supervisord' | 'unknown';

export type HealthState = 'unknown' | 'online' | 'offline' | 'auth_failed' | 'incompatible';

export interface AgentHealth {
  agent: string;
  state: HealthState;
  kind: AgentKind;
  /** supervisor.getSupervisorVersion / fleetvisor agent version. */
  version?: string;
  /** Last successful call, epoch ms. */
  lastContact?: number;
  /** Round trip of the last successful call, ms. */
  latencyMs?: number;
  /** Why it is not online. */
  error?: string;
  /** Current boot id of a fleetvisord agent. */
  boot?: string;
}

/** A process as the hub currently knows it (getAllProcessInfo of one host). */
export interface ProcessSnapshot {
  agent: string;
  group: string;
  name: string;
  state: string;
  statecode: number;
  pid: number;
  description: string;
  start: number;
  stop: number;
  exitstatus: number;
  spawnerr: string;
  /** When the hub last saw this row change, epoch ms. */
  updated: number;
}

/**
 * One event in the fleet history. `observed` = the hub inferred it by diffing
 * polls of a plain supervisord; otherwise the agent reported it (serial set).
 * Hub-made events (health changes, gaps) have type HUB_* and no serial.
 */
export interface HubEvent {
  /** Store row id (set once stored). */
  id?: number;
  agent: string;
  boot: string;
  /** The agent's ring serial (fleetvisord), null for observed/hub events. */
  serial: number | null;
  time: number;
  type: string;
  group?: string;
  process?: string;
  fromState?: string;
  toState?: string;
  pid?: number;
  expected?: boolean;
  exitStatus?: number;
  spawnErr?: string;
  observed: boolean;
  /** Anything else the agent sent, as JSON text. */
  payload?: string;
  /** Last lines of the process logs saved when it crashed (exit unexpected / FATAL). */
  crashStdout?: string;
  crashStderr?: string;
}

/** Hub-made event types. */
export const HubEventTypes = {
  AGENT_HEALTH: 'HUB_AGENT_HEALTH',
  GAP: 'HUB_GAP',
  RESYNC: 'HUB_RESYNC',
} as const;
