import { STOPPED_STATES, type ProcessStateName, type SupervisorStateName } from '../api/states.js';
import type { GroupConfig, SupervisorConfig } from '../config/types.js';
import { EventBus } from '../events/bus.js';
import type { AgentEvent, EventType } from '../events/types.js';
import type { ChildLog, Logger } from '../logs/types.js';
import type { Subprocess } from '../process/types.js';
import { diffGroups, type GroupDiff } from './diff.js';
import { ProcessGroup, compareText } from './group.js';
import { splitNamespec } from '../api/namespec.js';

/** How the model builds what it supervises; main.ts wires the real implementations. */
export interface SupervisorDeps {
  logger: Logger;
  bus: EventBus;
  createProcess(
    config: GroupConfig['processes'][number],
    group: GroupConfig,
    hooks: {
      onStateChange(proc: Subprocess, from: ProcessStateName, to: ProcessStateName): void;
    },
  ): Subprocess;
  /** Close the logs a process holds when its group is removed. */
  closeProcess(proc: Subprocess): void;
  /** The capture logs of a process (none for NONE / redirected channels). */
  logsOf(proc: Subprocess): { stdout?: ChildLog; stderr?: ChildLog };
  /** Parse the config file again (reloadConfig); throws FleetvisorError on a bad config. */
  readConfig(): SupervisorConfig;
}

/**
 * The supervisor model: the active process groups, the daemon's mood, the last
 * config read. RPC namespaces and signal handlers act on this, nothing else.
 */
export class Supervisor {
  state: SupervisorStateName = 'RUNNING';
  /** The config the daemon booted (or last reloaded) with. */
  config: SupervisorConfig;
  /** The config last read by reloadConfig; getAllConfigInfo and addProcessGroup use it. */
  candidate: SupervisorConfig;
  readonly groups = new Map<string, ProcessGroup>();
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly #deps: SupervisorDeps;
  readonly #moodListeners = new Set<(state: SupervisorStateName) => void>();

  constructor(config: SupervisorConfig, deps: SupervisorDeps) {
    this.config = config;
    this.candidate = config;
    this.bus = deps.bus;
    this.logger = deps.logger;
    this.#deps = deps;
  }

  /** Create every configured group, then spawn the autostart processes in priority order. */
  boot(): void {
    for (const gc of this.config.groups) this.addGroup(gc, false);
    this.publish('SUPERVISOR_STATE_CHANGE_RUNNING', []);
    for (const group of this.groupsByPriority()) this.autostart(group);
  }

  addGroup(gc: GroupConfig, autostart = true): boolean {
    if (this.groups.has(gc.name)) return false;
    const hooks = {
      onStateChange: (proc: Subprocess, from: ProcessStateName, to: ProcessStateName) =>
        this.#onStateChange(proc, from, to),
    };
    const group = new ProcessGroup(gc, (pc) => this.#deps.createProcess(pc, gc, hooks));
    this.groups.set(gc.name, group);
    this.publish('PROCESS_GROUP_ADDED', [['groupname', gc.name]], '');
    if (autostart) this.autostart(group);
    return true;
  }

  /** False when a process of the group is not stopped. */
  removeGroup(name: string): boolean {
    const group = this.groups.get(name);
    if (!group) return false;
    if (!group.allStopped()) return false;
    for (const proc of group.processes.values()) {
      proc.dispose();
      this.#deps.closeProcess(proc);
    }
    this.groups.delete(name);
    this.publish('PROCESS_GROUP_REMOVED', [['groupname', name]], '');
    return true;
  }

  autostart(group: ProcessGroup): void {
    if (this.state !== 'RUNNING') return;
    for (const proc of group.byPriority()) {
      if (proc.config.autostart && proc.laststart === 0 && proc.state === 'STOPPED') proc.spawn();
    }
  }

  /** Groups in (priority, name) order. */
  groupsByPriority(): ProcessGroup[] {
    return [...this.groups.values()].sort(
      (a, b) => a.config.priority - b.config.priority || compareText(a.name, b.name),
    );
  }

  groupsByName(): ProcessGroup[] {
    return [...this.groups.values()].sort((a, b) => compareText(a.name, b.name));
  }

  /** Every process as [group, process], groups and processes in priority order. */
  allByPriority(): Array<[ProcessGroup, Subprocess]> {
    return this.groupsByPriority().flatMap((g) => g.byPriority().map((p): [ProcessGroup, Subprocess] => [g, p]));
  }

  /** Every process as [group, process], sorted by group name then process name. */
  allByName(): Array<[ProcessGroup, Subprocess]> {
    return this.groupsByName().flatMap((g) => g.byName().map((p): [ProcessGroup, Subprocess] => [g, p]));
  }

  /** Resolve a namespec; undefined members mean "not found". */
  lookup(spec: string): { group?: ProcessGroup; process?: Subprocess; wholeGroup: boolean } {
    const { group: groupName, process: procName } = splitNamespec(spec);
    const group = this.groups.get(groupName);
    if (!group) return { wholeGroup: procName === undefined };
    if (procName === undefined) return { group, wholeGroup: true };
    return { group, process: group.processes.get(procName), wholeGroup: false };
  }

  /** Read the config again into `candidate` and compare it with the active groups. */
  reread(): GroupDiff {
    this.candidate = this.#deps.readConfig();
    return diffGroups(this.groups, this.candidate.groups);
  }

  logsOf(proc: Subprocess): { stdout?: ChildLog; stderr?: ChildLog } {
    return this.#deps.logsOf(proc);
  }

  setState(state: SupervisorStateName): void {
    if (this.state === state) return;
    this.state = state;
    for (const fn of this.#moodListeners) fn(state);
  }

  onStateChange(fn: (state: SupervisorStateName) => void): () => void {
    this.#moodListeners.add(fn);
    return () => this.#moodListeners.delete(fn);
  }

  /**
   * Stop everything for shutdown or reload: groups one at a time in descending
   * priority, each fully stopped before the next (compat spec §2.4).
   */
  async stopAllForShutdown(): Promise<void> {
    this.publish('SUPERVISOR_STATE_CHANGE_STOPPING', []);
    for (const proc of this.allByPriority().map(([, p]) => p)) proc.setShuttingDown(true);
    const groups = this.groupsByPriority().reverse();
    for (const group of groups) {
      for (const proc of group.byPriority().reverse()) proc.stopForShutdown();
      await this.#waitStopped(group);
    }
  }

  async #waitStopped(group: ProcessGroup): Promise<void> {
    let lastNote = Date.now();
    while (!group.allStopped()) {
      const pending = group.unstopped();
      await Promise.race([
        Promise.all(pending.map((p) => p.waitFor((s) => STOPPED_STATES.has(s)))),
        new Promise((resolve) => setTimeout(resolve, 3000).unref()),
      ]);
      if (!group.allStopped() && Date.now() - lastNote >= 3000) {
        lastNote = Date.now();
        const names = group.unstopped().map((p) => p.config.name).join(', ');
        this.logger.info(`waiting for ${names} to die`);
      }
    }
  }

  publish(type: EventType, fields: AgentEvent['fields'], data?: string): void {
    this.bus.publish({ type, time: Date.now(), fields, data });
  }

  #onStateChange(proc: Subprocess, from: ProcessStateName, to: ProcessStateName): void {
    const fields: AgentEvent['fields'] = [
      ['processname', proc.config.name],
      ['groupname', proc.groupName],
      ['from_state', from],
    ];
    if (to === 'STARTING' || to === 'BACKOFF') fields.push(['tries', proc.backoff]);
    else if (to === 'EXITED') fields.push(['expected', proc.lastExitExpected ? 1 : 0], ['pid', proc.pid]);
    else if (to === 'RUNNING' || to === 'STOPPING' || to === 'STOPPED') fields.push(['pid', proc.pid]);
    this.publish(`PROCESS_STATE_${to}`, fields);
  }
}

