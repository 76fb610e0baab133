/**
 * Operations across the fleet: check a request, resolve its selectors to
 * targets, plan batches, run them, stream the progress and record every
 * operation with its per-target results in the operations log.
 */
import { HUB_DEFAULTS } from '../config.js';
import type { Fleet } from '../fleet/fleet.js';
import { AgentCalls } from './agent-calls.js';
import type { OperationListFilter, OperationRecord, OperationWithTargets, OpsLog } from './ops-log.js';
import { planBatches } from './plan.js';
import { checkRequest } from './request.js';
import { Operation } from './runner.js';
import { resolveSelectors } from './selectors.js';
import type { OperationRequest, Target } from './types.js';
import { ProcessWatches } from './watch.js';

export interface OperationsServiceOptions {
  fleet: Fleet;
  log: OpsLog;
  /** The fleet's short-call timeout (hub.ini call_timeout); waiting starts and stops get their program's seconds on top. */
  callTimeoutMs?: number;
  /** Finished operations kept in memory for live(id) (default 100); the log keeps them all. */
  keepFinished?: number;
}

export class OperationsService {
  readonly #fleet: Fleet;
  readonly #log: OpsLog;
  readonly #callTimeoutMs: number;
  readonly #keepFinished: number;
  readonly #watches: ProcessWatches;
  /** Running and recently finished operations, oldest first. */
  readonly #live = new Map<number, Operation>();

  constructor(options: OperationsServiceOptions) {
    this.#fleet = options.fleet;
    this.#log = options.log;
    this.#callTimeoutMs = options.callTimeoutMs ?? HUB_DEFAULTS.callTimeoutMs;
    this.#keepFinished = options.keepFinished ?? 100;
    this.#watches = new ProcessWatches(options.fleet);
  }

  /**
   * Checks the request and starts the operation. Throws FleetvisorError
   * (FV_OPS_BAD_REQUEST, FV_OPS_BAD_SELECTOR, FV_OPS_NO_MATCH) before
   * anything is done or logged; once it returns, the operation is in the log.
   */
  start(request: OperationRequest): Operation {
    const settings = checkRequest(request);
    const targets = this.resolve(settings.selectors, settings.action);
    const batches = planBatches(targets, settings.mode, settings.batch);
    const started = Date.now();
    const id = this.#log.start({
      user: settings.user,
      action: settings.signal !== undefined ? `${settings.action} ${settings.signal}` : settings.action,
      mode: settings.mode,
      selectors: settings.selectors,
      started,
    });
    const operation = new Operation(id, settings, batches, {
      fleet: this.#fleet,
      log: this.#log,
      calls: new AgentCalls(this.#fleet, this.#callTimeoutMs),
      watches: this.#watches,
    }, started);
    this.#live.set(id, operation);
    void operation.done.then(() => this.#trim());
    return operation;
  }

  /** What the selectors would act on now (a dry run: nothing is logged). */
  resolve(selectors: readonly string[], action: OperationRequest['action']): Target[] {
    return resolveSelectors(selectors, { agents: () => this.#fleet.agents(), snapshot: (agent) => this.#fleet.snapshot(agent) }, action);
  }

  /** A running or recently finished operation, to follow its progress or cancel it. */
  live(id: number): Operation | undefined {
    return this.#live.get(id);
  }

  running(): Operation[] {
    return [...this.#live.values()].filter((operation) => operation.status === 'running');
  }

  /** False when no such operation is running. */
  cancel(id: number): boolean {
    const operation = this.#live.get(id);
    if (operation === undefined || operation.status !== 'running') return false;
    operation.cancel();
    return true;
  }

  /** The logged operation with its per-target results. */
  get(id: number): OperationWithTargets | undefined {
    return this.#log.get(id);
  }

  /** Logged operations, newest first. */
  list(filter?: OperationListFilter): OperationRecord[] {
    return this.#log.list(filter);
  }

  /** Cancels every running operation and waits for them to end (hub shutdown). */
  async close(): Promise<void> {
    const running = this.running();
    for (const operation of running) operation.cancel();
    await Promise.all(running.map((operation) => operation.done));
  }

  #trim(): void {
    let finished = [...this.#live.values()].filter((operation) => operation.status !== 'running').length;
    for (const [id, operation] of this.#live) {
      if (finished <= this.#keepFinished) break;
      if (operation.status === 'running') continue;
      this.#live.delete(id);
      finished--;
    }
  }
}

export { Operation } from './runner.js';
export { ProgressFeed, type ProgressListener } from './progress.js';
export { parseSelector, resolveSelectors, type Selector, type SelectionSource } from './selectors.js';
export { planBatches, parseBatchSize, hostsPerBatch, type Batch, type BatchSize } from './plan.js';
export { checkRequest, OPS_DEFAULTS, type OperationSettings } from './request.js';
export { matchGlob } from './glob.js';
export type { OpsLog } from './ops-log.js';
export * from './types.js';
