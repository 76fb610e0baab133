/**
 * The hub's shared vocabulary: what connectors produce, what the store keeps,
 * what the API and operations consume. Times are epoch milliseconds. The
 * shapes that also cross the wire (health, events, process rows) are
 * declared once, in api/dto.ts, and re-exported here.
 */

export type { AgentHealth, AgentKind, HealthState, HubEvent, ProcessSnapshot } from './api/dto.js';

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

/** Hub-made event types. */
export const HubEventTypes = {
  AGENT_HEALTH: 'HUB_AGENT_HEALTH',
  GAP: 'HUB_GAP',
  RESYNC: 'HUB_RESYNC',
} as const;
