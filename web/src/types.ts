/**
 * The hub API's shapes as the browser sees them (docs/hub-api.md). The web
 * view talks to the hub over HTTP only, so these mirror the JSON, not the
 * hub's TypeScript.
 */

export type Role = 'viewer' | 'operator' | 'admin';

export interface User {
  name: string;
  role: Role;
}

export type HealthState = 'unknown' | 'online' | 'offline' | 'auth_failed' | 'incompatible';

export interface AgentHealth {
  agent?: string;
  state: HealthState;
  kind: 'fleetvisord' | 'supervisord' | 'unknown';
  version?: string;
  lastContact?: number;
  latencyMs?: number;
  error?: string;
  boot?: string;
}

export interface Agent {
  name: string;
  url: string;
  tags: string[];
  source: 'config' | 'api';
  hasCredentials?: boolean;
  health: AgentHealth;
}

/** The live stream's `event: agent`: an admin added, edited or removed a host. */
export interface AgentChange {
  change: 'added' | 'updated' | 'removed';
  agent: Agent;
}

export interface Process {
  agent: string;
  group: string;
  name: string;
  namespec: string;
  state: string;
  statecode: number;
  pid: number;
  description?: string;
  start?: number;
  stop?: number;
  exitstatus?: number;
  spawnerr?: string;
  updated?: number;
}

export interface ProcessList {
  processes: Process[];
  hosts: { online: number; offline: number; total: number };
  states: Record<string, number>;
}

export interface HubEvent {
  id?: number;
  agent: string;
  boot: string;
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
  payload?: string;
  crashStdout?: string;
  crashStderr?: string;
}

export interface EventPage {
  events: HubEvent[];
  next?: string;
}

export interface SummaryRow {
  agent?: string;
  group: string;
  process: string;
  starts: number;
  unexpectedExits: number;
  fatals: number;
  uptimePct: number;
  mtbfSeconds: number | null;
  lastExit?: HubEvent;
}

export interface Summary {
  from: number;
  to: number;
  rows: SummaryRow[];
}

export type OpAction = 'start' | 'stop' | 'restart' | 'signal';

export interface OperationRequest {
  action: OpAction;
  selectors: string[];
  signal?: string;
  mode: 'parallel' | 'rolling';
  parallel?: number;
  batch?: number | string;
  waitSeconds?: number;
  healthUrl?: string;
  pauseSeconds?: number;
  stopOnFailure?: boolean;
}

export interface OperationAccepted {
  id: number;
  targets: { agent: string; namespec: string }[];
  batches: number;
}

export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'partial' | 'cancelled';

export interface OperationRecord {
  id: number;
  user: string;
  started: number;
  finished?: number;
  action: string;
  mode: string;
  selectors?: string[];
  status: OperationStatus;
  targets?: { agent: string; process?: string; result: 'ok' | 'failed' | 'skipped'; message: string; time: number }[];
}

export interface BatchProgress {
  index: number;
  total: number;
  targets: string[];
}

export interface TargetProgress {
  agent: string;
  namespec: string;
  status: 'ok' | 'failed' | 'skipped';
  message: string;
  ms: number;
}

export interface DoneProgress {
  status: 'succeeded' | 'failed' | 'cancelled';
  counts: { total: number; ok: number; failed: number; skipped: number };
}

export interface TokenRecord {
  id: string;
  user?: string;
  name: string;
  created?: number;
  lastUsed?: number;
}

export interface NewToken {
  id: string;
  name: string;
  token: string;
}

export interface UserRecord {
  name: string;
  role: Role;
  created?: number;
}

export interface LogTail {
  data: string;
  offset: number;
  overflow: boolean;
}

export interface ProcessStats {
  cpuPercent?: number;
  cpu?: number;
  rss?: number;
  rssBytes?: number;
  [key: string]: unknown;
}
