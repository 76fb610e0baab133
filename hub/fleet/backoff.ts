import type { BackoffOptions } from './types.js';

/**
 * Capped exponential backoff with jitter: initial, initial*factor, … up to
 * maxMs. The jitter only ever shortens a delay, so maxMs is a hard cap.
 */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 500;
    this.maxMs = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 0.2;
    this.#random = opts.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) throw new RangeError('Backoff needs 0 < initialMs <= maxMs');
    if (!(this.factor >= 1)) throw new RangeError('Backoff factor must be at least 1');
    if (!(this.jitter >= 0 && this.jitter < 1)) throw new RangeError('Backoff jitter must be in [0, 1)');
  }

  /** Failures since the last reset. */
  get failures(): number {
    return this.#failures;
  }

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const exponent = Math.min(this.#failures, 64);
    this.#failures++;
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** exponent);
    return Math.round(base * (1 - this.jitter * this.#random()));
  }

  reset(): void {
    this.#failures = 0;
  }
}
