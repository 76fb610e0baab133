/**
 * The operations log: who ran which action on which targets, and what each
 * target answered.
 */
import type { Statement } from 'better-sqlite3';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { canonicalNamespec } from '../../node-agent/api/namespec.js';
import type { Db } from './db.js';

export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'partial' | 'cancelled';
export type TargetResult = 'ok' | 'failed' | 'skipped';

export interface NewOperation {
  user: string;
  /** e.g. start, stop, restart, signal, update. */
  action: string;
  /** e.g. parallel, rolling. */
  mode: string;
  /** The selectors the user gave (hosts, tags, processes …), kept as JSON. */
  selectors: unknown;
  started?: number;
}

export interface OperationTarget {
  agent: string;
  /** The namespec (`web`, `group:name`), or absent for a host-wide action. */
  process?: string;
  result: TargetResult;
  message: string;
  time: number;
}

export interface OperationRecord {
  id: number;
  user: string;
  started: number;
  finished?: number;
  action: string;
  mode: string;
  selectors: unknown;
  status: OperationStatus;
}

export interface OperationWithTargets extends OperationRecord {
  targets: OperationTarget[];
}

export interface OperationListFilter {
  user?: string;
  /** Only operations with an id below this (for paging back). */
  beforeId?: number;
  limit?: number;
}

interface OperationRow {
  id: number;
  user: string;
  started: number;
  finished: number | null;
  action: string;
  mode: string;
  selectors: string;
  status: OperationStatus;
}

interface TargetRow {
  agent: string;
  process: string | null;
  result: TargetResult;
  message: string;
  time: number;
}

export class OperationsLog {
  readonly #insert: Statement;
  readonly #insertTarget: Statement;
  readonly #finish: Statement;
  readonly #get: Statement;
  readonly #targets: Statement;
  readonly #list: Statement;

  constructor(db: Db) {
    this.#insert = db.prepare(`INSERT INTO operations (user, started, action, mode, selectors, status) VALUES (?, ?, ?, ?, ?, 'running')`);
    this.#insertTarget = db.prepare('INSERT INTO operation_targets (op, agent, process, result, message, time) VALUES (?, ?, ?, ?, ?, ?)');
    this.#finish = db.prepare('UPDATE operations SET status = ?, finished = ? WHERE id = ?');
    this.#get = db.prepare('SELECT * FROM operations WHERE id = ?');
    this.#targets = db.prepare('SELECT agent, process, result, message, time FROM operation_targets WHERE op = ? ORDER BY id');
    this.#list = db.prepare(`SELECT * FROM operations WHERE (@user IS NULL OR user = @user) AND id < @beforeId ORDER BY id DESC LIMIT @limit`);
  }

  /** Records a new operation as running; returns its id. */
  start(op: NewOperation): number {
    return Number(this.#insert.run(op.user, op.started ?? Date.now(), op.action, op.mode, JSON.stringify(op.selectors ?? null)).lastInsertRowid);
  }

  recordTarget(opId: number, target: OperationTarget): void {
    try {
      this.#insertTarget.run(opId, target.agent, target.process ?? null, target.result, target.message, target.time);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound(opId);
      throw err;
    }
  }

  finish(opId: number, status: Exclude<OperationStatus, 'running'>, finished: number = Date.now()): void {
    if (this.#finish.run(status, finished, opId).changes === 0) throw notFound(opId);
  }

  get(opId: number): OperationWithTargets | undefined {
    const row = this.#get.get(opId) as OperationRow | undefined;
    if (row === undefined) return undefined;
    const targets = (this.#targets.all(opId) as TargetRow[]).map((t): OperationTarget => {
      const target: OperationTarget = { agent: t.agent, result: t.result, message: t.message, time: t.time };
      // Rows written before namespecs followed supervisorctl say `web:web`; read, they say `web`.
      if (t.process !== null) target.process = canonicalNamespec(t.process);
      return target;
    });
    return { ...fromRow(row), targets };
  }

  /** Newest first. */
  list(filter: OperationListFilter = {}): OperationRecord[] {
    const rows = this.#list.all({ user: filter.user ?? null, beforeId: filter.beforeId ?? Number.MAX_SAFE_INTEGER, limit: filter.limit ?? 100 }) as OperationRow[];
    return rows.map(fromRow);
  }
}

function fromRow(row: OperationRow): OperationRecord {
  const record: OperationRecord = {
    id: row.id,
    user: row.user,
    started: row.started,
    action: row.action,
    mode: row.mode,
    selectors: JSON.parse(row.selectors) as unknown,
    status: row.status,
  };
  if (row.finished !== null) record.finished = row.finished;
  return record;
}

function notFound(opId: number): FleetvisorError {
  return new FleetvisorError('FV_STORE_NOT_FOUND', `no operation ${opId}`);
}
