import type { AgentEvent } from './types.js';

export type EventSubscriber = (event: AgentEvent) => void;

/** Synchronous fan-out of agent events to listener pools, the subscription ring and anything else. */
export class EventBus {
  readonly #subscribers = new Set<EventSubscriber>();

  subscribe(fn: EventSubscriber): () => void {
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  publish(event: AgentEvent): void {
    for (const fn of this.#subscribers) fn(event);
  }
}
