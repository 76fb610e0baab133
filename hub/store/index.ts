/**
 * The hub's store: one SQLite database (WAL) holding the fleet's event
 * history, current process tables, agents, operations log, users and tokens.
 * HubStore owns the connection and hands out one object per concern.
 */
import type { AgentSpec } from '../types.js';
import { AgentStore } from './agents.js';
import { openDatabase, schemaVersion, type Db, type OpenOptions } from './db.js';
import { EventStore } from './events.js';
import { OperationsLog } from './ops-log.js';
import { EventQueries } from './queries.js';
import { Retention, type RetentionPolicy } from './retention.js';
import { SnapshotStore } from './snapshot.js';
import { Summaries } from './summaries.js';
import { UserStore } from './users.js';

export interface HubStoreOptions extends OpenOptions {
  retention?: RetentionPolicy;
  /** Agents from hub.ini, synced into the agents table at open. */
  configAgents?: readonly AgentSpec[];
}

export class HubStore {
  readonly db: Db;
  readonly events: EventStore;
  readonly history: EventQueries;
  readonly summaries: Summaries;
  readonly snapshot: SnapshotStore;
  readonly ops: OperationsLog;
  readonly users: UserStore;
  readonly agents: AgentStore;
  readonly retention: Retention;
  #closed = false;

  /** Opens (creating and migrating) the database at `path`, or ':memory:'. Retention is not started. */
  static open(path: string, options: HubStoreOptions = {}): HubStore {
    return new HubStore(openDatabase(path, options), options);
  }

  private constructor(db: Db, options: HubStoreOptions) {
    this.db = db;
    this.events = new EventStore(db);
    this.history = new EventQueries(db);
    this.summaries = new Summaries(db);
    this.snapshot = new SnapshotStore(db);
    this.ops = new OperationsLog(db);
    this.users = new UserStore(db);
    this.agents = new AgentStore(db);
    this.retention = new Retention(db, options.retention);
    if (options.configAgents !== undefined) this.agents.syncConfigAgents(options.configAgents);
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.retention.stop();
    this.db.pragma('optimize');
    this.db.close();
  }
}

export type { AgentChanges } from './agents.js';
export type { Db, OpenOptions } from './db.js';
export type { IngestResult } from './events.js';
export type { NewOperation, OperationListFilter, OperationRecord, OperationStatus, OperationTarget, OperationWithTargets, TargetResult } from './ops-log.js';
export { decodeCursor, encodeCursor, type EventFilter, type EventPage } from './queries.js';
export type { RetentionPassResult, RetentionPolicy } from './retention.js';
export type { SeriesSelector } from './selectors.js';
export type { SnapshotFilter } from './snapshot.js';
export { FLAPPING_DEFAULTS, type FlappingOptions, type FlappingProcess, type ProcessSummary, type SummaryOptions } from './summaries.js';
export { parseTimeSpec, type TimeSpec } from './time-spec.js';
export { ROLES, type NewToken, type Role, type TokenIdentity, type TokenRecord, type UserRecord } from './users.js';
