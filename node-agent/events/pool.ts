import type { ProcessStateName } from '../api/states.js';
import type { GroupConfig } from '../config/types.js';
import type { Logger } from '../logs/types.js';
import type { Subprocess } from '../process/types.js';
import { formatEnvelope } from './envelope.js';
import { ListenerProtocol, type ListenerSignal } from './listener-protocol.js';
import type { EventSerials } from './serials.js';
import { eventMatches, isEventType, type AgentEvent, type EventType } from './types.js';

/** One event on its way to listener pools; serials are given when a pool first accepts it. */
export interface PoolEvent {
  readonly event: AgentEvent;
  /** The supervisord payload text. */
  readonly payload: string;
  serial?: number;
  /** Pool name → the serial this event has in that pool. */
  readonly poolSerials: Map<string, number>;
}

export function toPoolEvent(event: AgentEvent, payload: string): PoolEvent {
  return { event, payload, poolSerials: new Map() };
}

/** The part of a ProcessGroup a pool needs. */
export interface ListenerGroup {
  readonly config: GroupConfig;
  /** In config order: the order supervisord offers events to listeners. */
  readonly processes: ReadonlyMap<string, Subprocess>;
}

export interface ListenerPoolOptions {
  group: ListenerGroup;
  /** [supervisord] identifier, the envelope's `server:`. */
  identifier: string;
  serials: EventSerials;
  logger: Logger;
  /** A listener gave its event back (rejected, bad result line, died while busy); the router re-queues it. */
  onRejected(event: PoolEvent, listener: Subprocess): void;
}

interface Listener {
  readonly proc: Subprocess;
  readonly protocol: ListenerProtocol;
  /** The event the listener is busy with. */
  event?: PoolEvent;
}

/** Process endings after which supervisord hands a busy listener's event back (its finish()). */
const REAPED_STATES: ReadonlySet<ProcessStateName> = new Set(['STOPPED', 'EXITED', 'BACKOFF']);

/**
 * One [eventlistener:x] pool (compat spec §4.5): a bounded FIFO of events and
 * the protocol state of each listener process. Dispatch is driven by what
 * happens (an event arrives, a listener becomes READY or RUNNING), never by a
 * timer.
 */
export class ListenerPool {
  readonly name: string;
  readonly #subscriptions: EventType[];
  readonly #bufferSize: number;
  readonly #queue: PoolEvent[] = [];
  readonly #listeners = new Map<string, Listener>();
  readonly #opts: ListenerPoolOptions;
  #poolSerial = -1;
  #dispatching = false;
  #closed = false;

  constructor(opts: ListenerPoolOptions) {
    this.#opts = opts;
    this.name = opts.group.config.name;
    const first = opts.group.config.processes[0]?.listener;
    this.#subscriptions = (first?.events ?? []).filter(isEventType);
    this.#bufferSize = first?.bufferSize ?? 10;
    for (const [name, proc] of opts.group.processes) {
      this.#listeners.set(name, { proc, protocol: new ListenerProtocol(name, opts.logger) });
    }
  }

  subscribes(type: EventType): boolean {
    return this.#subscriptions.some((subscribed) => eventMatches(type, subscribed));
  }

  /** True when one of the pool's processes has this priority (supervisord compares processes by priority). */
  hasPriority(priority: number): boolean {
    for (const { proc } of this.#listeners.values()) if (proc.config.priority === priority) return true;
    return false;
  }

  owns(proc: Subprocess): boolean {
    return this.#listeners.get(proc.config.name)?.proc === proc;
  }

  /** Queue an event (at the head when re-queued), dropping the oldest when the buffer is full. */
  accept(event: PoolEvent, head = false): void {
    if (this.#closed) return;
    event.serial ??= this.#opts.serials.next();
    if (!event.poolSerials.has(this.name)) {
      this.#poolSerial = this.#poolSerial >= Number.MAX_SAFE_INTEGER ? 0 : this.#poolSerial + 1;
      event.poolSerials.set(this.name, this.#poolSerial);
    } else {
      this.#opts.logger.debug(
        `rebuffering event ${event.serial} for pool ${this.name} (buf size=${this.#queue.length}, max=${this.#bufferSize})`,
      );
    }
    if (this.#queue.length >= this.#bufferSize && this.#queue.length > 0) {
      const dropped = this.#queue.shift() as PoolEvent;
      this.#opts.logger.error(`pool ${this.name} event buffer overflowed, discarding event ${dropped.serial}`);
    }
    if (head) this.#queue.unshift(event);
    else this.#queue.push(event);
  }

  /** Bytes a listener wrote to stdout. */
  onListenerOutput(proc: Subprocess, chunk: Buffer): void {
    const listener = this.#listeners.get(proc.config.name);
    if (!listener || listener.proc !== proc) return;
    for (const signal of listener.protocol.feed(chunk)) this.#onSignal(listener, signal);
    this.dispatch();
  }

  /** A listener process changed state (called after the event itself was offered to the pools). */
  onListenerState(processName: string, to: ProcessStateName): void {
    const listener = this.#listeners.get(processName);
    if (!listener) return;
    if (to === 'STARTING') {
      listener.protocol.reset();
    } else if (REAPED_STATES.has(to)) {
      listener.protocol.markDead();
      this.#giveBack(listener);
    }
    if (to === 'RUNNING') this.dispatch();
  }

  /** Send queued events to READY listeners (config order) until the head event finds none. */
  dispatch(): void {
    if (this.#dispatching || this.#closed) return;
    this.#dispatching = true;
    try {
      while (this.#queue.length > 0 && this.#sendHead()) {
        // keep going while listeners take events
      }
    } finally {
      this.#dispatching = false;
    }
  }

  /** Stop: the group was removed or the daemon is reloading. Queued events are dropped, as in supervisord. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  /** Serials of the queued events, head first (for tests and diagnostics). */
  queuedSerials(): number[] {
    return this.#queue.map((e) => e.serial ?? -1);
  }

  listenerState(processName: string): string | undefined {
    return this.#listeners.get(processName)?.protocol.state;
  }

  #sendHead(): boolean {
    const event = this.#queue[0];
    for (const listener of this.#listeners.values()) {
      if (listener.proc.state !== 'RUNNING' || listener.protocol.state !== 'READY') continue;
      const envelope = formatEnvelope(
        {
          identifier: this.#opts.identifier,
          serial: event.serial ?? 0,
          pool: this.name,
          poolSerial: event.poolSerials.get(this.name) ?? 0,
          eventName: event.event.type,
        },
        event.payload,
      );
      if (!listener.proc.writeStdin(Buffer.from(envelope, 'utf8'))) {
        this.#opts.logger.debug(
          `epipe occurred while sending event ${event.serial} to listener ${listener.proc.config.name}, listener state unchanged`,
        );
        continue;
      }
      this.#queue.shift();
      listener.protocol.markBusy();
      listener.event = event;
      this.#opts.logger.debug(`event ${event.serial} sent to listener ${listener.proc.config.name}`);
      return true;
    }
    return false;
  }

  #onSignal(listener: Listener, signal: ListenerSignal): void {
    if (signal.kind === 'processed') listener.event = undefined;
    else if (signal.kind === 'rejected' || (signal.kind === 'unknown' && signal.requeue)) this.#giveBack(listener);
    else if (signal.kind === 'unknown') listener.event = undefined;
  }

  #giveBack(listener: Listener): void {
    const event = listener.event;
    listener.event = undefined;
    if (event) this.#opts.onRejected(event, listener.proc);
  }
}
