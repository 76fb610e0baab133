import { STOPPED_STATES } from '../api/states.js';
import type { GroupConfig, ProcessConfig } from '../config/types.js';
import type { Subprocess } from '../process/types.js';

/** A running process group: the processes of one [program], [group] or [eventlistener] section. */
export class ProcessGroup {
  readonly config: GroupConfig;
  /** In priority order (the config's order). */
  readonly processes: ReadonlyMap<string, Subprocess>;

  constructor(config: GroupConfig, makeProcess: (config: ProcessConfig) => Subprocess) {
    this.config = config;
    this.processes = new Map(config.processes.map((pc) => [pc.name, makeProcess(pc)]));
  }

  get name(): string {
    return this.config.name;
  }

  byPriority(): Subprocess[] {
    return [...this.processes.values()];
  }

  byName(): Subprocess[] {
    return [...this.processes.values()].sort((a, b) => compareText(a.config.name, b.config.name));
  }

  allStopped(): boolean {
    for (const proc of this.processes.values()) {
      if (!STOPPED_STATES.has(proc.state)) return false;
    }
    return true;
  }

  /** Processes not yet in a stopped state. */
  unstopped(): Subprocess[] {
    return this.byPriority().filter((p) => !STOPPED_STATES.has(p.state));
  }
}

/** Python's default string ordering (code points), which supervisord's sorted() uses. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
