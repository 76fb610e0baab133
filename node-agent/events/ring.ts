import { randomUUID } from 'node:crypto';
import type { AgentEvent } from './types.js';
import { approximateSize, toRingEvent, type ProcessFacts, type RingEventStruct } from './ring-event.js';

export interface EventRingOptions {
  /** Events held at most (default 20000). */
  capacity?: number;
  /** Approximate memory held at most, for chatty PROCESS_LOG events (default 64 MiB). */
  maxBytes?: number;
  /** Defaults to a random id: one per daemon process, kept across reloads. */
  boot?: string;
}

export interface RingRead {
  events: RingEventStruct[];
  /** Where the next read continues. */
  cursor: string;
  boot: string;
  /** The cursor was from another boot, older than the oldest event held, or unreadable: events start at the oldest held. */
  resync: boolean;
}

interface Slot {
  event: RingEventStruct;
  bytes: number;
}

/**
 * The recent events the hub subscribes to: a bounded ring with a boot id and
 * a serial that only grows (1, 2, …). A cursor is `<boot>:<last serial
 * read>`; callers treat it as opaque. Waiting readers cost a pending promise
 * and a timer each, and nothing while no event arrives.
 */
export class EventRing {
  readonly boot: string;
  readonly capacity: number;
  readonly maxBytes: number;
  readonly #slots: Array<Slot | undefined>;
  #start = 0;
  #count = 0;
  #bytes = 0;
  #lastSerial = 0;
  #draining = false;
  readonly #waiters = new Set<() => void>();

  constructor(opts: EventRingOptions = {}) {
    this.capacity = positiveInt(opts.capacity ?? 20000, 'capacity');
    this.maxBytes = positiveInt(opts.maxBytes ?? 64 * 1024 * 1024, 'maxBytes');
    this.boot = opts.boot ?? randomUUID();
    if (this.boot.includes(':')) throw new RangeError('EventRing boot id must not contain ":"');
    this.#slots = new Array<Slot | undefined>(this.capacity);
  }

  get size(): number {
    return this.#count;
  }

  /** Serial of the newest event (0: none yet). */
  get lastSerial(): number {
    return this.#lastSerial;
  }

  /** Serial of the oldest event held (lastSerial + 1 when empty). */
  get oldestSerial(): number {
    return this.#lastSerial - this.#count + 1;
  }

  /** Readers currently waiting for an event. */
  get waiting(): number {
    return this.#waiters.size;
  }

  push(event: AgentEvent, payload: string, facts?: ProcessFacts): RingEventStruct {
    const struct = toRingEvent(this.#lastSerial + 1, event, payload, facts);
    const bytes = approximateSize(struct);
    while (this.#count > 0 && (this.#count >= this.capacity || this.#bytes + bytes > this.maxBytes)) this.#dropOldest();
    this.#slots[(this.#start + this.#count) % this.capacity] = { event: struct, bytes };
    this.#count++;
    this.#bytes += bytes;
    this.#lastSerial = struct.serial;
    if (this.#waiters.size > 0) this.releaseWaiters();
    return struct;
  }

  /** Up to `max` events after the cursor ('' = from the oldest held). */
  read(cursor: string, max: number): RingRead {
    const oldest = this.oldestSerial;
    let after = oldest - 1;
    let resync = false;
    if (cursor !== '') {
      const serial = this.#serialOf(cursor);
      if (serial === undefined || serial < oldest - 1 || serial > this.#lastSerial) resync = true;
      else after = serial;
    }
    const count = Math.max(0, Math.min(max, this.#lastSerial - after));
    const events: RingEventStruct[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const slot = this.#slots[(this.#start + (after + 1 + i - oldest)) % this.capacity] as Slot;
      events[i] = slot.event;
    }
    return { events, cursor: `${this.boot}:${after + count}`, boot: this.boot, resync };
  }

  /** True when a read from this cursor would return events (or a resync) at once. */
  hasNews(cursor: string): boolean {
    const read = this.read(cursor, 1);
    return read.resync || read.events.length > 0;
  }

  /** Resolves when an event newer than the cursor exists, when `ms` pass, or when releaseWaiters() is called. */
  wait(cursor: string, ms: number): Promise<void> {
    if (ms <= 0 || this.#draining || this.hasNews(cursor)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  /**
   * While draining (the daemon is closing its HTTP servers), waits end at once
   * so no long-poll holds a server open; attachEvents turns it off again.
   */
  setDraining(draining: boolean): void {
    this.#draining = draining;
    if (draining) this.releaseWaiters();
  }

  /** Wake every waiting reader now (an event arrived, or the daemon is stopping its HTTP servers). */
  releaseWaiters(): void {
    for (const done of [...this.#waiters]) done();
  }

  #serialOf(cursor: string): number | undefined {
    const colon = cursor.lastIndexOf(':');
    if (colon <= 0 || cursor.slice(0, colon) !== this.boot) return undefined;
    const text = cursor.slice(colon + 1);
    if (!/^\d{1,15}$/.test(text)) return undefined;
    return Number(text);
  }

  #dropOldest(): void {
    const slot = this.#slots[this.#start] as Slot;
    this.#slots[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.capacity;
    this.#count--;
    this.#bytes -= slot.bytes;
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`EventRing ${name} must be a positive integer, got ${value}`);
  return value;
}
