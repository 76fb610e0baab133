/**
 * The hub API's wire shapes (docs/hub-api.md): the JSON bodies the hub
 * answers and accepts, and the data of its server-sent messages. One
 * declaration for the three programs that speak it: the hub (hub/types.ts
 * re-exports the core ones, so the connectors and the store produce exactly
 * these), fleetvisorctl's fleet mode (cli/fleet/types.ts) and the web view
 * (web/src/types.ts).
 *
 * Why it lives in hub/api: the hub owns the contract, and its route schemas
 * (schemas.ts) are the other half of it. cli and web still depend on the hub
 * over HTTP only: this module holds types and nothing else and imports
 * nothing, and they take it with `import type`, which compiles to no code,
 * so no hub code reaches the CLI's runtime or the web bundle. Keep it so:
 * no values, no imports (the web view type-checks it under a DOM-only
 * tsconfig without Node types). dto-conformance.ts checks at compile time
 * that what the hub's store and operations produce fits these shapes.
 *
 * Times are epoch milliseconds unless a name says otherwise.
 */

// ---- errors -------------------------------------------------------------

/** Every error answer, with its HTTP status. `code` is stable (`FV_…`). */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

// ---- auth, users, tokens ------------------------------------------------

export type Role = 'viewer' | 'operator' | 'admin';

/** GET /auth/me, and `user` of the login answer. */
export interface User {
  name: string;
  role: Role;
}

/** POST /auth/login. */
export interface LoginAnswer {
  token: string;
  csrf: string;
  user: User;
}

/** GET /users, POST /users (201), PATCH /users/:name. */
export interface UserRecord {
  name: string;
  role: Role;
  created: number;
}

/** GET /tokens: never the token text. */
export interface TokenRecord {
  id: string;
  user: string;
  name: string;
  created: number;
  lastUsed?: number;
}

/** POST /tokens (201): the only answer that carries the token text. */
export interface NewToken extends TokenRecord {
  token: string;
}

// ---- agents -------------------------------------------------------------

export type AgentKind = 'fleetvisord' | 'supervisord' | 'unknown';

export type HealthState = 'unknown' | 'online' | 'offline' | 'auth_failed' | 'incompatible';

/** An agent's health: the live feed's `event: health` (credentials taken out of `error`). */
export interface AgentHealth {
  agent: string;
  state: HealthState;
  kind: AgentKind;
  /** supervisor.getSupervisorVersion / fleetvisor agent version. */
  version?: string;
  /** Last successful call. */
  lastContact?: number;
  /** Round trip of the last successful call, ms. */
  latencyMs?: number;
  /** Why it is not online. */
  error?: string;
  /** Current boot id of a fleetvisord agent. */
  boot?: string;
}

/** Health as nested in an agent, which already names it. */
export type AgentHealthView = Omit<AgentHealth, 'agent'>;

/** GET /agents (a list), /agents/:name, POST and PATCH answers: never credentials, URLs without `user:pass@`. */
export interface AgentView {
  name: string;
  url: string;
  tags: string[];
  /** 'config' = from hub.ini (read-only through the API); 'api' = added at runtime. */
  source: 'config' | 'api';
  hasCredentials: boolean;
  health: AgentHealthView;
}

/** POST /agents. */
export interface NewAgentBody {
  name: string;
  url: string;
  username?: string;
  password?: string;
  tags?: string[];
}

/** PATCH /agents/:name: `null` clears username or password. */
export interface AgentPatchBody {
  url?: string;
  username?: string | null;
  password?: string | null;
  tags?: string[];
}

export type AgentChangeKind = 'added' | 'updated' | 'removed';

/** The live feed's `event: agent`: an admin added, edited or removed a host (`removed`: its last settings, health unknown). */
export interface AgentChangeMessage {
  change: AgentChangeKind;
  agent: AgentView;
}

// ---- processes ----------------------------------------------------------

/** A process as the hub last knew it (getAllProcessInfo of its host, kept fresh by events). */
export interface ProcessSnapshot {
  agent: string;
  group: string;
  name: string;
  state: string;
  statecode: number;
  pid: number;
  description: string;
  /** As the agent reports it (supervisord: epoch seconds). */
  start: number;
  stop: number;
  exitstatus: number;
  spawnerr: string;
  /** When the hub last saw this row change. */
  updated: number;
}

/** A row of GET /processes and of the live feed's snapshots. */
export interface ProcessRow extends ProcessSnapshot {
  /** As supervisorctl prints it: `name` when group and name are equal, else `group:name`. */
  namespec: string;
}

export interface HostCounts {
  online: number;
  offline: number;
  total: number;
}

/** GET /processes. */
export interface ProcessList {
  processes: ProcessRow[];
  /** The agents the host and tag filters select. */
  hosts: HostCounts;
  /** Processes per state name. */
  states: Record<string, number>;
}

/** The live feed's `event: snapshot`. */
export interface SnapshotMessage {
  agent: string;
  /** true: the agent's whole table (after a resync); false: only the rows that changed. */
  full: boolean;
  processes: ProcessRow[];
}

/** GET /processes/:agent/:namespec/stats (fleetvisord agents only). */
export interface ProcessStats {
  agent: string;
  namespec: string;
  pid: number;
  cpuPercent: number;
  rssBytes: number;
  /** The process and its children counted. */
  processes: number;
}

export type LogChannel = 'stdout' | 'stderr';

/** GET /processes/:agent/:namespec/log. */
export interface LogTail {
  data: string;
  offset: number;
  overflow: boolean;
}

/** The log stream's `event: log`. */
export interface LogChunkMessage {
  data: string;
}

/** The log stream's `event: end`. */
export interface LogEndMessage {
  reason: string;
}

// ---- events and history -------------------------------------------------

/**
 * One event in the fleet history. `observed` = the hub inferred it by diffing
 * polls of a plain supervisord; otherwise the agent reported it (serial set).
 * Hub-made events (health changes, gaps) have type HUB_* and no serial.
 * Absent fields are omitted.
 */
export interface HubEvent {
  /** Store row id: set on everything the API sends (absent only inside the hub, before storing). */
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

/** GET /events and /crashes. */
export interface EventPage {
  events: HubEvent[];
  /** The keyset cursor for `after`; absent on the last page. */
  next?: string;
}

/** A row of GET /summary. */
export interface SummaryRow {
  /** Only in `by=host` rows. */
  agent?: string;
  /** The hosts summed into this row (one for a per-host row). */
  agents: string[];
  group: string;
  process: string;
  starts: number;
  unexpectedExits: number;
  fatals: number;
  runningSeconds: number;
  /** 0..100; null when the process was not known in the window. */
  uptimePct: number | null;
  /** null without failures. */
  mtbfSeconds: number | null;
  lastExit?: HubEvent;
}

/** GET /summary. */
export interface Summary {
  from: number;
  to: number;
  rows: SummaryRow[];
}

export interface FlappingProcess {
  agent: string;
  group: string;
  process: string;
  exits: number;
  firstExit: number;
  lastExit: number;
}

/** GET /flapping: `count` and `minutes` from hub.ini. */
export interface FlappingList {
  count: number;
  minutes: number;
  processes: FlappingProcess[];
}

// ---- operations ---------------------------------------------------------

export type OpAction = 'start' | 'stop' | 'restart' | 'signal' | 'clear' | 'update';
export type OpMode = 'parallel' | 'rolling';

/** POST /operations. */
export interface OperationRequest {
  action: OpAction;
  /** `HOSTGLOB/NAMESPEC`, `@TAG/NAMESPEC` or a bare NAMESPEC (every host). */
  selectors: string[];
  /** For `signal`: a name (HUP, SIGHUP) or a number. */
  signal?: string;
  /** Default parallel. */
  mode?: OpMode;
  parallel?: number;
  /** Rolling: hosts per batch, a count or a share (`"25%"`). */
  batch?: number | string;
  waitSeconds?: number;
  /** One URL for every target, or one per program (namespec, group or name as key). */
  healthUrl?: string | Record<string, string>;
  healthTimeoutSeconds?: number;
  pauseSeconds?: number;
  stopOnFailure?: boolean;
}

export interface OperationTarget {
  agent: string;
  namespec: string;
}

/** POST /operations (202). */
export interface OperationAccepted {
  id: number;
  targets: OperationTarget[];
  batches: number;
}

/** POST /operations/:id/cancel (202). */
export interface OperationCancelled {
  id: number;
  status: 'cancelling';
}

export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'partial' | 'cancelled';
export type TargetStatus = 'ok' | 'failed' | 'skipped';
export type OperationOutcome = 'succeeded' | 'failed' | 'cancelled';

/** A row of GET /operations. */
export interface OperationRecord {
  id: number;
  user: string;
  started: number;
  finished?: number;
  action: string;
  mode: string;
  selectors: string[];
  status: OperationStatus;
}

/** One target's logged result. */
export interface OperationResult {
  agent: string;
  /** The namespec (`web`, `pool:a`); absent for an `update`'s host. */
  process?: string;
  result: TargetStatus;
  message: string;
  time: number;
}

export interface OutcomeCounts {
  total: number;
  ok: number;
  failed: number;
  skipped: number;
}

/** GET /operations/:id. */
export interface OperationDetail extends OperationRecord {
  targets: OperationResult[];
  counts: OutcomeCounts;
  /** While the hub still holds the operation in memory. */
  batches?: number;
}

/** GET /operations/:id/events `event: batch`. */
export interface BatchProgress {
  /** 1-based. */
  index: number;
  total: number;
  /** `agent/namespec` of each target of the batch. */
  targets: string[];
}

/** `event: target`. */
export interface TargetProgress {
  agent: string;
  namespec: string;
  status: TargetStatus;
  message: string;
  /** From the target's start to its result (0 when skipped or replayed from the log). */
  ms: number;
}

/** `event: done`: the stream ends after it. */
export interface DoneProgress {
  status: OperationOutcome;
  counts: OutcomeCounts;
}

/** An operation's progress with its kind as a field, as the live feed carries it (the operation stream names it in `event:`). */
export type ProgressMessage = ({ type: 'batch' } & BatchProgress) | ({ type: 'target' } & TargetProgress) | ({ type: 'done' } & DoneProgress);

/** The live feed's `event: operation`, for operations started through the API. */
export type OperationMessage = { id: number } & ProgressMessage;

// ---- live feed ----------------------------------------------------------

/** The `kind` values of GET /stream, and the `event:` names of its messages. */
export type FeedKind = 'hub-event' | 'health' | 'snapshot' | 'operation' | 'agent';

/** The data of each live-feed message, by its `event:` name. */
export interface FeedMessages {
  'hub-event': HubEvent;
  health: AgentHealth;
  snapshot: SnapshotMessage;
  operation: OperationMessage;
  agent: AgentChangeMessage;
}
