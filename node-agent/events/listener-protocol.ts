import type { ListenerStateName } from '../api/states.js';
import type { Logger } from '../logs/types.js';
import { decodeEventData } from './envelope.js';

const READY_TOKEN = Buffer.from('READY\n');
/** supervisord int-parses what follows these many bytes of the result line, whatever they are. */
const RESULT_PREFIX_LENGTH = 'RESULT '.length;
/** What Python's int() accepts from bytes: blanks, a sign, digits with single underscores between them. */
const PYTHON_INT = /^[ \t\n\r\f\v]*[+-]?\d+(?:_\d+)*[ \t\n\r\f\v]*$/;

/** What a chunk of listener stdout meant for the pool. */
export type ListenerSignal =
  /** ACKNOWLEDGED → READY: the listener wants an event. */
  | { kind: 'ready' }
  /** BUSY → ACKNOWLEDGED with `OK`: the event is done. */
  | { kind: 'processed' }
  /** BUSY → ACKNOWLEDGED with anything else: re-queue the event. */
  | { kind: 'rejected'; result: Buffer }
  /** → UNKNOWN; `requeue` when the listener held an event (bad result line). */
  | { kind: 'unknown'; requeue: boolean };

/**
 * The event listener protocol of one listener process, as a byte-driven state
 * machine (compat spec §4.4). It logs supervisord's lines for the transitions;
 * the pool decides what to do with the events.
 */
export class ListenerProtocol {
  #state: ListenerStateName = 'ACKNOWLEDGED';
  #buffer: Buffer = Buffer.alloc(0);
  #resultLength: number | undefined;
  #result: Buffer = Buffer.alloc(0);
  readonly #name: string;
  readonly #logger: Logger;

  constructor(name: string, logger: Logger) {
    this.#name = name;
    this.#logger = logger;
  }

  get state(): ListenerStateName {
    return this.#state;
  }

  /** A fresh spawn: supervisord starts every listener ACKNOWLEDGED, waiting for `READY\n`. */
  reset(): void {
    this.#state = 'ACKNOWLEDGED';
    this.#clearBuffers();
  }

  /** The pool wrote an envelope to the listener. */
  markBusy(): void {
    this.#change('BUSY');
  }

  /** The listener died; anything it wrote from now on belongs to no event. */
  markDead(): void {
    this.#clearBuffers();
    if (this.#state !== 'UNKNOWN') this.#state = 'ACKNOWLEDGED';
  }

  feed(chunk: Buffer): ListenerSignal[] {
    if (this.#isUnknown()) return [];
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    const signals: ListenerSignal[] = [];
    while (this.#buffer.length > 0 && !this.#isUnknown()) {
      const before = this.#buffer.length;
      const signal = this.#step();
      if (signal) signals.push(signal);
      if (!signal && this.#buffer.length === before) break;
    }
    if (this.#isUnknown()) this.#clearBuffers();
    return signals;
  }

  #isUnknown(): boolean {
    return this.#state === 'UNKNOWN';
  }

  /** One decision on the buffered bytes; undefined when more bytes are needed (or a partial result was taken). */
  #step(): ListenerSignal | undefined {
    switch (this.#state) {
      case 'ACKNOWLEDGED':
        if (this.#buffer.length < READY_TOKEN.length) return undefined;
        if (this.#buffer.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
          this.#buffer = this.#buffer.subarray(READY_TOKEN.length);
          this.#change('READY');
          return { kind: 'ready' };
        }
        this.#change('UNKNOWN');
        return { kind: 'unknown', requeue: false };
      case 'READY':
        // Output while waiting for an event is a protocol violation.
        this.#change('UNKNOWN');
        return { kind: 'unknown', requeue: false };
      case 'BUSY':
        return this.#stepBusy();
      default:
        return undefined;
    }
  }

  #stepBusy(): ListenerSignal | undefined {
    if (this.#resultLength === undefined) {
      const newline = this.#buffer.indexOf(0x0a);
      if (newline === -1) return undefined;
      const line = this.#buffer.subarray(0, newline);
      this.#buffer = this.#buffer.subarray(newline + 1);
      const lengthText = line.subarray(RESULT_PREFIX_LENGTH).toString('latin1');
      const length = PYTHON_INT.test(lengthText) ? Number.parseInt(lengthText.replace(/_/g, ''), 10) : NaN;
      if (!(length >= 0)) {
        this.#logger.warn(`${this.#name}: bad result line: '${decodeEventData(line)}'`);
        this.#change('UNKNOWN');
        return { kind: 'unknown', requeue: true };
      }
      this.#resultLength = length;
    }
    const needed = this.#resultLength - this.#result.length;
    if (needed > 0) {
      this.#result = Buffer.concat([this.#result, this.#buffer.subarray(0, needed)]);
      this.#buffer = this.#buffer.subarray(needed);
      if (this.#result.length < this.#resultLength) return undefined;
    }
    const result = this.#result;
    this.#result = Buffer.alloc(0);
    this.#resultLength = undefined;
    this.#change('ACKNOWLEDGED');
    if (result.equals(OK)) {
      this.#logger.debug(`${this.#name}: event was processed`);
      return { kind: 'processed' };
    }
    this.#logger.warn(`${this.#name}: event was rejected`);
    return { kind: 'rejected', result };
  }

  #change(to: ListenerStateName): void {
    const from = this.#state;
    this.#state = to;
    this.#logger.debug(`${this.#name}: ${from} -> ${to}`);
    if (to === 'UNKNOWN') {
      this.#logger.warn(
        `${this.#name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`,
      );
    }
  }

  #clearBuffers(): void {
    this.#buffer = Buffer.alloc(0);
    this.#result = Buffer.alloc(0);
    this.#resultLength = undefined;
  }
}

const OK = Buffer.from('OK');
