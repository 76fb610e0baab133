/**
 * The live picture of the fleet: processes and agents, loaded once over REST
 * and then kept current by the hub's server-sent events. Many events can
 * arrive between two frames; they are applied to the maps at once but
 * subscribers hear about them at most once per animation frame, so 100
 * changes a second cost ~60 renders, not 100.
 *
 * A row is known by agent, group and name: events carry group and process
 * while rows carry the hub's namespec (`group:name`, or `name` alone when
 * the two are equal), so both find the same row whichever form the hub uses.
 */
import { get } from './api.js';
import type { Agent, AgentChange, AgentHealth, HubEvent, Process, ProcessList, SnapshotMessage } from './types.js';
import { makeNamespec } from '../../node-agent/api/namespec.js';

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

function identityOf(agent: string, group: string, name: string): string {
  return `${agent}\n${group}\n${name}`;
}

/** `group:name` or `name` → its group and name (a bare name is its own group, as in supervisord). */
export function splitNamespec(namespec: string): { group: string; name: string } {
  const colon = namespec.indexOf(':');
  return colon < 0 ? { group: namespec, name: namespec } : { group: namespec.slice(0, colon), name: namespec.slice(colon + 1) };
}

export type OperationListener = (data: unknown) => void;

export class FleetStore {
  readonly processes = new Map<string, Process>();
  readonly agents = new Map<string, Agent>();
  /** Bumped once per flushed batch of changes; components compare it. */
  version = 0;
  /** Bumped whenever an agent (its tags, its health) changes, for what depends on agents only. */
  agentsVersion = 0;
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
  #positionOf = new Map<string, number>();
  #orderStale = true;
  /** Keys whose row changed since list() last ran, patched into its array in place of a rebuild. */
  readonly #dirty = new Set<string>();
  /** agent, group and name → the row's key. */
  readonly #keyOf = new Map<string, string>();
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
    if (this.#sortedVersion === this.version) return this.#sorted;
    if (this.#orderStale) {
      this.#order = [...this.processes.values()]
        .sort((a, b) => compareText(a.agent, b.agent) || compareText(a.namespec, b.namespec))
        .map((process) => processKey(process.agent, process.namespec));
      this.#positionOf = new Map(this.#order.map((key, index) => [key, index]));
      this.#sorted = this.#order.map((key) => this.processes.get(key)!);
      this.#orderStale = false;
    } else if (this.#dirty.size > 0) {
      // A state change moves no row: copy the array (a new identity for memos) and replace the changed rows.
      const next = this.#sorted.slice();
      for (const key of this.#dirty) next[this.#positionOf.get(key)!] = this.processes.get(key)!;
      this.#sorted = next;
    }
    this.#dirty.clear();
    this.#sortedVersion = this.version;
    return this.#sorted;
  }

  /** A process by agent and namespec in either form (`group:name`, or `name` when they are equal). */
  find(agent: string, namespec: string): Process | undefined {
    const { group, name } = splitNamespec(namespec);
    const key = this.#keyOf.get(identityOf(agent, group, name));
    return key === undefined ? this.processes.get(processKey(agent, namespec)) : this.processes.get(key);
  }

  /** Stores a row under the hub's namespec; a row known under another key (the other namespec form) moves. */
  #put(process: Process): void {
    const identity = identityOf(process.agent, process.group, process.name);
    const key = processKey(process.agent, process.namespec);
    const previous = this.#keyOf.get(identity);
    if (previous !== key) {
      if (previous !== undefined) this.processes.delete(previous);
      this.#keyOf.set(identity, key);
      this.#orderStale = true;
    } else if (!this.processes.has(key)) {
      this.#orderStale = true;
    }
    this.processes.set(key, process);
    if (!this.#orderStale) this.#dirty.add(key);
  }

  #removeAgent(agent: string): void {
    for (const [key, process] of this.processes) {
      if (process.agent !== agent) continue;
      this.processes.delete(key);
      this.#keyOf.delete(identityOf(process.agent, process.group, process.name));
      this.#orderStale = true;
    }
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
    this.#keyOf.clear();
    for (const process of list.processes) this.#put(process);
    this.#orderStale = true;
    this.agents.clear();
    for (const agent of agents) this.agents.set(agent.name, agent);
    this.agentsVersion++;
    this.loaded = true;
    this.#changed();
  }

  async reloadAgents(): Promise<void> {
    const agents = await get<Agent[]>('/agents');
    this.agents.clear();
    for (const agent of agents) this.agents.set(agent.name, agent);
    this.agentsVersion++;
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
    source.addEventListener('snapshot', (message) => this.applySnapshot(parse<SnapshotMessage>(message)));
    source.addEventListener('agent', (message) => this.applyAgentChange(parse<AgentChange>(message)));
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
    const key = this.#keyOf.get(identityOf(event.agent, event.group, event.process));
    const known = key === undefined ? undefined : this.processes.get(key);
    const next: Process = {
      ...(known ?? { agent: event.agent, group: event.group, name: event.process, namespec: makeNamespec(event.group, event.process), description: '', start: 0, stop: 0, exitstatus: 0, spawnerr: '' }),
      state: event.toState,
      statecode: STATE_CODES[event.toState] ?? STATE_CODES.UNKNOWN,
      pid: event.pid ?? (event.toState === 'RUNNING' || event.toState === 'STARTING' ? (known?.pid ?? 0) : 0),
      updated: event.time,
    };
    if (event.exitStatus !== undefined) next.exitstatus = event.exitStatus;
    this.#put(next);
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
    this.agentsVersion++;
    this.#changed();
  }

  /** A host added or edited replaces what was known of it (tags, URL, health); a removed one goes with its processes. */
  applyAgentChange(message: AgentChange | undefined): void {
    const agent = message?.agent;
    if (agent?.name === undefined) return;
    if (message!.change === 'removed') {
      this.agents.delete(agent.name);
      this.#removeAgent(agent.name);
    } else {
      this.agents.set(agent.name, agent);
    }
    this.agentsVersion++;
    this.#changed();
  }

  /** A full snapshot replaces the host's processes; a partial one (full: false) only updates the rows it carries. */
  applySnapshot(snapshot: SnapshotMessage | undefined): void {
    if (snapshot === undefined) return;
    if (snapshot.full !== false) this.#removeAgent(snapshot.agent);
    for (const process of snapshot.processes) {
      const namespec = process.namespec ?? makeNamespec(process.group, process.name);
      this.#put({ ...process, agent: snapshot.agent, namespec });
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
