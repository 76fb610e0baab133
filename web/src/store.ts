/**
 * The live picture of the fleet: processes and agents, loaded once over REST
 * and then kept current by the hub's server-sent events. Many events can
 * arrive between two frames; they are applied to the maps at once but
 * subscribers hear about them at most once per animation frame, so 100
 * changes a second cost ~60 renders, not 100.
 */
import { get } from './api.js';
import type { Agent, AgentHealth, HubEvent, Process, ProcessList } from './types.js';

export const STATE_CODES: Record<string, number> = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
};

export function processKey(agent: string, namespec: string): string {
  return `${agent}/${namespec}`;
}

export type OperationListener = (data: unknown) => void;

export class FleetStore {
  readonly processes = new Map<string, Process>();
  readonly agents = new Map<string, Agent>();
  /** Bumped once per flushed batch of changes; components compare it. */
  version = 0;
  loaded = false;
  connected = false;
  lastEventAt = 0;
  readonly #listeners = new Set<() => void>();
  readonly #operationListeners = new Set<OperationListener>();
  #frame = 0;
  #source: EventSource | undefined;
  #sorted: Process[] = [];
  #sortedVersion = -1;
  /** Keys in display order; re-sorted only when a process appears or goes, not on every state change. */
  #order: string[] = [];
  #orderStale = true;
  #loading: Promise<void> | undefined;

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onOperation(listener: OperationListener): () => void {
    this.#operationListeners.add(listener);
    return () => this.#operationListeners.delete(listener);
  }

  /** Every process sorted by host then namespec; the same array until something changes. */
  list(): Process[] {
    if (this.#sortedVersion !== this.version) {
      if (this.#orderStale) {
        this.#order = [...this.processes.values()]
          .sort((a, b) => compareText(a.agent, b.agent) || compareText(a.namespec, b.namespec))
          .map((process) => processKey(process.agent, process.namespec));
        this.#orderStale = false;
      }
      this.#sorted = this.#order.map((key) => this.processes.get(key)!);
      this.#sortedVersion = this.version;
    }
    return this.#sorted;
  }

  /** Starts loading at once (before sign-in is even confirmed) so the page needs one round trip less; load() reuses it. */
  prefetch(): void {
    this.#loading ??= this.#fetchAll();
    this.#loading.catch(() => (this.#loading = undefined));
  }

  /** Loads everything, reusing a prefetch still in flight or just finished. */
  load(): Promise<void> {
    const pending = this.#loading ?? this.#fetchAll();
    this.#loading = undefined;
    return pending;
  }

  async #fetchAll(): Promise<void> {
    const [list, agents] = await Promise.all([get<ProcessList>('/processes'), get<Agent[]>('/agents')]);
    this.processes.clear();
    for (const process of list.processes) this.processes.set(processKey(process.agent, process.namespec), process);
    this.#orderStale = true;
    this.agents.clear();
    for (const agent of agents) this.agents.set(agent.name, agent);
    this.loaded = true;
    this.#changed();
  }

  async reloadAgents(): Promise<void> {
    const agents = await get<Agent[]>('/agents');
    this.agents.clear();
    for (const agent of agents) this.agents.set(agent.name, agent);
    this.#changed();
  }

  /** Opens the live stream; a reconnect after a drop reloads everything, since events may have been missed. */
  connect(): void {
    if (this.#source !== undefined) return;
    const source = new EventSource('/api/v1/stream');
    this.#source = source;
    let dropped = false;
    source.addEventListener('open', () => {
      this.connected = true;
      if (dropped) void this.load().catch(() => undefined);
      dropped = false;
      this.#changed();
    });
    source.addEventListener('error', () => {
      this.connected = false;
      dropped = true;
      this.#changed();
    });
    source.addEventListener('hub-event', (message) => this.applyEvent(parse<HubEvent>(message)));
    source.addEventListener('health', (message) => this.applyHealth(parse<AgentHealth>(message)));
    source.addEventListener('snapshot', (message) => this.applySnapshot(parse<{ agent: string; full?: boolean; processes: Process[] }>(message)));
    source.addEventListener('operation', (message) => {
      const data = parse<unknown>(message);
      for (const listener of this.#operationListeners) listener(data);
    });
  }

  disconnect(): void {
    this.#source?.close();
    this.#source = undefined;
    this.connected = false;
  }

  applyEvent(event: HubEvent | undefined): void {
    if (event === undefined || event.toState === undefined || event.group === undefined || event.process === undefined) return;
    const namespec = `${event.group}:${event.process}`;
    const key = processKey(event.agent, namespec);
    const known = this.processes.get(key);
    const next: Process = {
      ...(known ?? { agent: event.agent, group: event.group, name: event.process, namespec, description: '' }),
      state: event.toState,
      statecode: STATE_CODES[event.toState] ?? STATE_CODES.UNKNOWN,
      pid: event.pid ?? (event.toState === 'RUNNING' || event.toState === 'STARTING' ? (known?.pid ?? 0) : 0),
      updated: event.time,
    };
    if (event.exitStatus !== undefined) next.exitstatus = event.exitStatus;
    if (known === undefined) this.#orderStale = true;
    this.processes.set(key, next);
    this.lastEventAt = Date.now();
    this.#changed();
  }

  applyHealth(health: AgentHealth | undefined): void {
    if (health?.agent === undefined) return;
    const agent = this.agents.get(health.agent);
    if (agent === undefined) {
      void this.reloadAgents().catch(() => undefined);
      return;
    }
    this.agents.set(health.agent, { ...agent, health });
    this.#changed();
  }

  /** A full snapshot replaces the host's processes; a partial one (full: false) only updates the rows it carries. */
  applySnapshot(snapshot: { agent: string; full?: boolean; processes: Process[] } | undefined): void {
    if (snapshot === undefined) return;
    this.#orderStale = true;
    if (snapshot.full !== false) {
      for (const [key, process] of this.processes) if (process.agent === snapshot.agent) this.processes.delete(key);
    }
    for (const process of snapshot.processes) {
      const namespec = process.namespec ?? `${process.group}:${process.name}`;
      this.processes.set(processKey(snapshot.agent, namespec), { ...process, agent: snapshot.agent, namespec });
    }
    this.#changed();
  }

  #changed(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.version++;
      for (const listener of this.#listeners) listener();
    });
  }
}

function parse<T>(message: Event): T | undefined {
  try {
    return JSON.parse((message as MessageEvent<string>).data) as T;
  } catch {
    return undefined;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const fleet = new FleetStore();
