import type { GroupConfig } from '../config/types.js';
import type { ProcessGroup } from './group.js';

export interface GroupDiff {
  added: GroupConfig[];
  changed: GroupConfig[];
  removed: string[];
}

/**
 * Compare a newly read config with the active groups: new group names are
 * added, groups whose config differs in any option are changed, active groups
 * missing from the config are removed. Added/changed keep the config's
 * (priority, name) order.
 */
export function diffGroups(active: ReadonlyMap<string, ProcessGroup>, next: readonly GroupConfig[]): GroupDiff {
  const nextNames = new Set(next.map((g) => g.name));
  const added: GroupConfig[] = [];
  const changed: GroupConfig[] = [];
  for (const gc of next) {
    const current = active.get(gc.name);
    if (!current) added.push(gc);
    else if (!sameGroupConfig(current.config, gc)) changed.push(gc);
  }
  const removed = [...active.keys()].filter((name) => !nextNames.has(name)).sort();
  return { added, changed, removed };
}

export function sameGroupConfig(a: GroupConfig, b: GroupConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
