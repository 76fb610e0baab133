/**
 * Two process tables of one agent → what changed. Poll mode turns the
 * changes into observed events; both modes use it to touch only changed rows.
 */
import type { HubEvent, ProcessSnapshot } from '../types.js';
import { namespecOf } from './normalize.js';

export interface SnapshotDiff {
  /** New rows and rows whose state, pid, times, exit status or spawn error moved. */
  changed: ProcessSnapshot[];
  /** Namespecs that are gone. */
  removed: string[];
  /** Rows present in both whose state differs, or same state with another pid (restarted between polls). */
  transitions: Array<{ before: ProcessSnapshot; after: ProcessSnapshot }>;
  addedGroups: string[];
  removedGroups: string[];
}

/**
 * `description` is left out of the comparison: a RUNNING row's description
 * holds the uptime, which changes every second without anything happening.
 */
export function sameRow(a: ProcessSnapshot, b: ProcessSnapshot): boolean {
  return (
    a.statecode === b.statecode &&
    a.state === b.state &&
    a.pid === b.pid &&
    a.start === b.start &&
    a.stop === b.stop &&
    a.exitstatus === b.exitstatus &&
    a.spawnerr === b.spawnerr
  );
}

export function diffSnapshots(before: ReadonlyMap<string, ProcessSnapshot>, after: readonly ProcessSnapshot[]): SnapshotDiff {
  const changed: ProcessSnapshot[] = [];
  const transitions: SnapshotDiff['transitions'] = [];
  const seen = new Set<string>();
  for (const row of after) {
    const key = namespecOf(row);
    seen.add(key);
    const old = before.get(key);
    if (old === undefined) {
      changed.push(row);
      continue;
    }
    if (sameRow(old, row)) continue;
    changed.push(row);
    if (old.statecode !== row.statecode || (old.pid !== row.pid && old.pid !== 0 && row.pid !== 0)) {
      transitions.push({ before: old, after: row });
    }
  }
  const removed = [...before.keys()].filter((key) => !seen.has(key));
  const groupsBefore = new Set([...before.values()].map((row) => row.group));
  const groupsAfter = new Set(after.map((row) => row.group));
  return {
    changed,
    removed,
    transitions,
    addedGroups: [...groupsAfter].filter((group) => !groupsBefore.has(group)),
    removedGroups: [...groupsBefore].filter((group) => !groupsAfter.has(group)),
  };
}

/**
 * A poll-mode diff → events marked observed (the agent did not report them;
 * the hub inferred them). `restartNote` says when a same-state row with
 * another pid was restarted: between two polls, or while the hub was away.
 */
export function observedEvents(agent: string, boot: string, diff: SnapshotDiff, time: number, restartNote = 'restarted between polls'): HubEvent[] {
  const events: HubEvent[] = [];
  const base = { agent, boot, serial: null, time, observed: true } as const;
  for (const group of diff.removedGroups) events.push({ ...base, type: 'PROCESS_GROUP_REMOVED', group });
  for (const group of diff.addedGroups) events.push({ ...base, type: 'PROCESS_GROUP_ADDED', group });
  for (const { before, after } of diff.transitions) {
    const event: HubEvent = {
      ...base,
      type: `PROCESS_STATE_${after.state}`,
      group: after.group,
      process: after.name,
      fromState: before.state,
      toState: after.state,
      // A process that just exited shows pid 0; the event is about the pid that ended.
      pid: after.pid !== 0 ? after.pid : before.pid,
    };
    if (after.state === 'EXITED' || after.state === 'FATAL') event.exitStatus = after.exitstatus;
    if (after.spawnerr !== '') event.spawnErr = after.spawnerr;
    if (before.state === after.state) {
      event.payload = JSON.stringify({ note: restartNote, previousPid: before.pid });
    }
    events.push(event);
  }
  return events;
}
