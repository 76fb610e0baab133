/**
 * Watches one process through the fleet's event feed (no polling): first
 * until the hub has seen it reach RUNNING, then through a stability window
 * in which any move away from RUNNING fails the target.
 *
 * The watch is opened before the action, so the RUNNING the action causes
 * can only be the first one seen: a connector delivers an agent's events in
 * order, and whatever the action's stop half produced comes before it.
 */
import type { Fleet } from '../fleet/fleet.js';
import type { HubEvent } from '../types.js';
import { TargetFailure } from './actions.js';
import type { ProcessTarget } from './types.js';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Routes the fleet's events to the open watches through one listener, however
 * many processes are watched at once (one listener each would soon pass the
 * emitter's leak warning). Listens only while a watch is open.
 */
export class ProcessWatches {
  readonly #fleet: Fleet;
  readonly #open = new Map<string, Set<ProcessWatch>>();
  readonly #onEvents = (agent: string, events: HubEvent[]): void => {
    for (const event of events) {
      if (event.process === undefined || event.toState === undefined) continue;
      for (const watch of this.#open.get(key(agent, event.group ?? '', event.process)) ?? []) watch.observe(event.toState, event);
    }
  };

  constructor(fleet: Fleet) {
    this.#fleet = fleet;
  }

  open(target: ProcessTarget): ProcessWatch {
    if (this.#open.size === 0) this.#fleet.on('events', this.#onEvents);
    const k = key(target.agent, target.group, target.name);
    let watches = this.#open.get(k);
    if (watches === undefined) this.#open.set(k, (watches = new Set()));
    const watch: ProcessWatch = new ProcessWatch(this.#fleet, target, () => {
      watches.delete(watch);
      if (watches.size === 0) this.#open.delete(k);
      if (this.#open.size === 0) this.#fleet.off('events', this.#onEvents);
    });
    watches.add(watch);
    return watch;
  }
}

function key(agent: string, group: string, name: string): string {
  return `${agent}\0${group}\0${name}`;
}

export class ProcessWatch {
  readonly #fleet: Fleet;
  readonly #target: ProcessTarget;
  readonly #release: () => void;
  #sawRunning = false;
  /** The first move away from RUNNING after it was seen there. */
  #left: HubEvent | undefined;
  #wake: (() => void) | undefined;

  /** Open one with ProcessWatches.open. */
  constructor(fleet: Fleet, target: ProcessTarget, release: () => void) {
    this.#fleet = fleet;
    this.#target = target;
    this.#release = release;
  }

  /** One of the process's state changes, as the fleet emitted it. */
  observe(toState: string, event: HubEvent): void {
    if (toState === 'RUNNING') this.#sawRunning = true;
    else if (this.#sawRunning && this.#left === undefined) this.#left = event;
    this.#wake?.();
  }

  /**
   * The action changed nothing (start: already started): the hub's current
   * table says whether it is RUNNING already; if not (BACKOFF, STARTING), the
   * watch waits for it like after a start.
   */
  fromCurrentState(): void {
    if (this.#row()?.state === 'RUNNING') this.#sawRunning = true;
  }

  /**
   * Resolves once the hub has seen the process RUNNING. When no such event
   * comes within `timeoutMs` (a polled supervisord may diff past a quick
   * restart), the fleet's current table decides.
   */
  async untilRunning(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const seen = await this.#waitFor(() => this.#sawRunning, timeoutMs, signal);
    if (seen) return;
    const row = this.#row();
    if (row?.state === 'RUNNING') {
      this.#sawRunning = true;
      return;
    }
    throw new TargetFailure(`not seen RUNNING within ${seconds(timeoutMs)} s (hub sees ${row?.state ?? 'no such process'})`);
  }

  /** Fails when the process leaves RUNNING within `windowMs`. */
  async stable(windowMs: number, signal: AbortSignal): Promise<void> {
    const left = await this.#waitFor(() => this.#left !== undefined, windowMs, signal);
    if (!left || this.#left === undefined) return;
    const event = this.#left;
    const why = event.spawnErr !== undefined && event.spawnErr !== '' ? `: ${event.spawnErr}` : event.exitStatus !== undefined ? ` (exit status ${event.exitStatus})` : '';
    throw new TargetFailure(`left RUNNING within ${seconds(windowMs)} s: ${event.toState}${why}`);
  }

  close(): void {
    this.#release();
    this.#wake?.();
  }

  /** True when `check` held before `timeoutMs`; false at the timeout; CancelledError on abort. */
  #waitFor(check: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.reject(new CancelledError());
    if (check()) return Promise.resolve(true);
    return new Promise((resolve, reject) => {
      const settle = (outcome: boolean | CancelledError): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        if (outcome instanceof CancelledError) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = (): void => settle(new CancelledError());
      const timer = setTimeout(() => settle(check()), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#wake = () => {
        if (check()) settle(true);
      };
    });
  }

  #row() {
    const { agent, group, name } = this.#target;
    if (!this.#fleet.has(agent)) return undefined;
    return this.#fleet.snapshot(agent).find((row) => row.group === group && row.name === name);
  }
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
