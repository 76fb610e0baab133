/**
 * One running operation: its batches one after another, the targets of a
 * batch at most `parallel` at once. Each target's result is streamed and
 * logged the moment it is known. After a failure (with stopOnFailure) or a
 * cancel, nothing new begins: calls in flight finish or time out, and every
 * target not begun is reported as skipped.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Fleet } from '../fleet/fleet.js';
import { runProcessAction, TargetFailure, type ActionOutcome } from './actions.js';
import type { AgentCalls } from './agent-calls.js';
import { healthUrlFor, waitHealthy } from './health.js';
import type { OpsLog } from './ops-log.js';
import type { Batch } from './plan.js';
import { ProgressFeed } from './progress.js';
import type { OperationSettings } from './request.js';
import { targetLabel, type DoneProgress, type OperationOutcome, type OutcomeCounts, type ProcessTarget, type Target, type TargetProgress, type TargetStatus } from './types.js';
import { runUpdate } from './update.js';
import { CancelledError, type ProcessWatches } from './watch.js';

export interface OperationDeps {
  fleet: Fleet;
  log: OpsLog;
  calls: AgentCalls;
  watches: ProcessWatches;
}

export class Operation {
  readonly id: number;
  readonly settings: OperationSettings;
  readonly batches: readonly Batch[];
  readonly started: number;
  readonly events = new ProgressFeed();
  /** Resolves with the final 'done' event; never rejects. */
  readonly done: Promise<DoneProgress>;
  readonly #deps: OperationDeps;
  readonly #abort = new AbortController();
  readonly #counts: OutcomeCounts;
  #failedOnce = false;
  #outcome: OperationOutcome | undefined;
  #logError: unknown;

  constructor(id: number, settings: OperationSettings, batches: readonly Batch[], deps: OperationDeps, started = Date.now()) {
    this.id = id;
    this.settings = settings;
    this.batches = batches;
    this.started = started;
    this.#deps = deps;
    const total = batches.reduce((sum, batch) => sum + batch.targets.length, 0);
    this.#counts = { total, ok: 0, failed: 0, skipped: 0 };
    // Begins on the next turn, so whoever started it can subscribe first (the feed replays anyway).
    this.done = Promise.resolve().then(() => this.#run());
  }

  get targets(): Target[] {
    return this.batches.flatMap((batch) => batch.targets);
  }

  /** 'running' until done. */
  get status(): 'running' | OperationOutcome {
    return this.#outcome ?? 'running';
  }

  get counts(): OutcomeCounts {
    return { ...this.#counts };
  }

  get cancelled(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Why the operations log refused a write, if it did (the operation goes on regardless). */
  get logError(): unknown {
    return this.#logError;
  }

  /** Nothing new begins; calls in flight finish or time out; the rest is skipped. */
  cancel(): void {
    if (this.#outcome === undefined) this.#abort.abort();
  }

  async #run(): Promise<DoneProgress> {
    const { settings } = this;
    try {
      for (const [position, batch] of this.batches.entries()) {
        if (this.#halted()) {
          for (const target of batch.targets) this.#skip(target);
          continue;
        }
        this.events.push({ type: 'batch', index: batch.index, total: this.batches.length, targets: batch.targets.map(targetLabel) });
        const limit = pLimit(settings.parallel);
        await Promise.all(batch.targets.map((target) => limit(() => this.#runTarget(target))));
        const last = position === this.batches.length - 1;
        if (!last && settings.pauseMs > 0 && !this.#halted()) await this.#pause(settings.pauseMs);
      }
    } catch (err) {
      // A bug, not a target's failure: whatever was not reported fails with it.
      this.#failRemaining(err);
    }
    return this.#finish();
  }

  #halted(): boolean {
    return this.#abort.signal.aborted || (this.settings.stopOnFailure && this.#failedOnce);
  }

  async #pause(ms: number): Promise<void> {
    try {
      await delay(ms, undefined, { signal: this.#abort.signal });
    } catch {
      // Cancelled during the pause: the loop skips what is left.
    }
  }

  async #runTarget(target: Target): Promise<void> {
    if (this.#halted()) return this.#skip(target);
    const began = performance.now();
    try {
      const message = target.kind === 'host' ? (await runUpdate(target, this.#deps.calls)).message : await this.#runProcess(target);
      this.#report(target, 'ok', message, began);
    } catch (err) {
      this.#failedOnce = true;
      this.#report(target, 'failed', err instanceof TargetFailure ? err.message : `internal error: ${(err as Error).message}`, began);
    }
  }

  /** The action, then (for a start) the checks that it took: seen RUNNING, stayed so, healthy. */
  async #runProcess(target: ProcessTarget): Promise<string> {
    const { settings } = this;
    const { fleet, calls } = this.#deps;
    const healthUrl = healthUrlFor(settings.health, target, fleet.agents().find((agent) => agent.name === target.agent));
    const checks = (settings.action === 'start' || settings.action === 'restart') && (settings.mode === 'rolling' || settings.waitMs > 0 || healthUrl !== undefined);
    const watch = checks ? this.#deps.watches.open(target) : undefined;
    let outcome: ActionOutcome | undefined;
    try {
      outcome = await runProcessAction(settings.action as Exclude<typeof settings.action, 'update'>, target, calls, settings.signal);
      if (watch === undefined || !(outcome.started || outcome.wasRunning)) return outcome.message;
      const signal = this.#abort.signal;
      const notes: string[] = [];
      if (outcome.wasRunning) watch.fromCurrentState();
      await watch.untilRunning(calls.callTimeoutMs, signal);
      if (settings.waitMs > 0) {
        await watch.stable(settings.waitMs, signal);
        notes.push(`stayed RUNNING ${settings.waitMs / 1000} s`);
      }
      if (healthUrl !== undefined) {
        await waitHealthy(healthUrl, { timeoutMs: settings.healthTimeoutMs }, signal);
        notes.push('healthy');
      }
      return notes.length > 0 ? `${outcome.message}, ${notes.join(', ')}` : outcome.message;
    } catch (err) {
      // The action itself was done; only the checks after it were cut short.
      if (err instanceof CancelledError && outcome !== undefined) return `${outcome.message} (checks cancelled)`;
      throw err;
    } finally {
      watch?.close();
    }
  }

  #skip(target: Target): void {
    const why = this.#abort.signal.aborted ? 'cancelled before it began' : 'not run: an earlier target failed';
    this.#report(target, 'skipped', why);
  }

  #failRemaining(err: unknown): void {
    const reported = new Set(this.events.history.flatMap((event) => (event.type === 'target' ? [`${event.agent}/${event.namespec}`] : [])));
    for (const target of this.targets) {
      if (!reported.has(targetLabel(target))) this.#report(target, 'failed', `internal error: ${(err as Error).message}`);
    }
    this.#failedOnce = true;
  }

  #report(target: Target, status: TargetStatus, message: string, began?: number): void {
    const ms = began === undefined ? 0 : Math.round(performance.now() - began);
    this.#counts[status]++;
    const event: TargetProgress = { type: 'target', agent: target.agent, namespec: target.namespec, status, message, ms };
    this.events.push(event);
    this.#writeLog(() =>
      this.#deps.log.recordTarget(this.id, {
        agent: target.agent,
        ...(target.kind === 'process' ? { process: target.namespec } : {}),
        result: status,
        message,
        time: Date.now(),
      }),
    );
  }

  #finish(): DoneProgress {
    const outcome: OperationOutcome = this.#abort.signal.aborted ? 'cancelled' : this.#counts.failed > 0 ? 'failed' : 'succeeded';
    this.#outcome = outcome;
    this.#writeLog(() => this.#deps.log.finish(this.id, outcome));
    const done: DoneProgress = { type: 'done', status: outcome, counts: { ...this.#counts } };
    this.events.push(done);
    return done;
  }

  #writeLog(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.#logError ??= err;
    }
  }
}
