/**
 * An operation's progress as a replayable feed: a listener or iterator that
 * joins late (an SSE client connecting after the start) first gets what
 * already happened, then the rest as it happens. The feed ends with 'done'.
 * It holds one event per batch and per target, so keeping it all is cheap.
 */
import type { DoneProgress, ProgressEvent } from './types.js';

export type ProgressListener = (event: ProgressEvent) => void;

export class ProgressFeed implements AsyncIterable<ProgressEvent> {
  readonly #history: ProgressEvent[] = [];
  readonly #listeners = new Set<ProgressListener>();
  #done: DoneProgress | undefined;

  get history(): readonly ProgressEvent[] {
    return this.#history;
  }

  get finished(): boolean {
    return this.#done !== undefined;
  }

  push(event: ProgressEvent): void {
    if (this.#done !== undefined) throw new Error('progress pushed after done');
    this.#history.push(event);
    if (event.type === 'done') this.#done = event;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's mistake must not stop the operation or the others.
      }
    }
    if (event.type === 'done') this.#listeners.clear();
  }

  /** Calls `listener` with every past event, then each new one; returns the unsubscribe. */
  subscribe(listener: ProgressListener): () => void {
    for (const event of this.#history) listener(event);
    if (this.#done !== undefined) return () => undefined;
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  [Symbol.asyncIterator](): AsyncIterator<ProgressEvent> {
    const queue: ProgressEvent[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const unsubscribe = this.subscribe((event) => {
      queue.push(event);
      wake?.();
    });
    const end = (): IteratorReturnResult<undefined> => {
      ended = true;
      unsubscribe();
      return { done: true, value: undefined };
    };
    return {
      next: async () => {
        while (!ended) {
          const event = queue.shift();
          if (event !== undefined) {
            // 'done' is the last event: the iteration ends after handing it out.
            if (event.type === 'done') ended = true;
            return { done: false, value: event };
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        return end();
      },
      return: async () => end(),
    };
  }
}
