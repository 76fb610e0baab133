/**
 * The fleet's EventSink backed by the SQLite store: events and the agent's
 * cursor in one transaction, process tables into the snapshot table. Stored
 * events get their row id written back (the fleet emits the same objects to
 * the live feed, which sends the id as the SSE event id). Also counts what
 * each agent's events brought, for /metrics.
 */
import type { EventSink, LastKnownTable } from './fleet/types.js';
import type { HubStore } from './store/index.js';
import type { AgentHealth, HubEvent, ProcessSnapshot } from './types.js';

export class StoreSink implements EventSink {
  readonly #store: HubStore;
  readonly #ingested = new Map<string, number>();

  constructor(store: HubStore) {
    this.#store = store;
  }

  getCursor(agent: string): string | undefined {
    return this.#store.events.getCursor(agent);
  }

  ingest(agent: string, events: HubEvent[], cursor?: string): void {
    const result = this.#store.events.ingest(agent, events, cursor);
    // IngestResult.events are copies in input order without the duplicates; match them back by position.
    let next = 0;
    for (const stored of result.events) {
      while (next < events.length && !sameEvent(events[next], stored)) next++;
      if (next < events.length) events[next++].id = stored.id;
    }
    if (result.inserted > 0) this.#ingested.set(agent, (this.#ingested.get(agent) ?? 0) + result.inserted);
  }

  replaceSnapshot(agent: string, rows: ProcessSnapshot[]): void {
    this.#store.snapshot.replaceAgent(agent, rows);
  }

  updateSnapshot(_agent: string, row: ProcessSnapshot): void {
    this.#store.snapshot.upsert(row);
  }

  onHealth(health: AgentHealth): void {
    // The fleet keeps the current health; the store keeps its changes as HUB_AGENT_HEALTH events,
    // and the last contact, for the catch-up of a polled agent after a hub restart.
    this.#store.snapshot.recordContact(health);
  }

  lastKnown(agent: string): LastKnownTable {
    return this.#store.snapshot.stored(agent);
  }

  /** Events stored per agent since the hub started. */
  ingestedCounts(): ReadonlyMap<string, number> {
    return this.#ingested;
  }
}

function sameEvent(a: HubEvent, b: HubEvent): boolean {
  return a.time === b.time && a.type === b.type && a.serial === b.serial && a.boot === b.boot;
}
