/**
 * What the benchmark reads from /proc about a daemon: resident memory, CPU
 * time, and its process tree (so teardown can kill children that run in
 * their own process groups).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times (getconf CLK_TCK; 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** Fields after the `(comm)` of /proc/<pid>/stat; the comm may hold spaces and parentheses. */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

/** User + system CPU seconds the process has used so far (not counting children). */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3 (state).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** VmRSS in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

function listProcesses(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = statFields(Number(name));
      entries.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // exited while we looked
    }
  }
  return entries;
}

/** Every live descendant of `root` (children, grandchildren, ...). */
export function descendants(root: number): ProcEntry[] {
  const all = listProcesses();
  const byParent = new Map<number, ProcEntry[]>();
  for (const entry of all) {
    const siblings = byParent.get(entry.ppid) ?? [];
    siblings.push(entry);
    byParent.set(entry.ppid, siblings);
  }
  const found: ProcEntry[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.pop()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

function killQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // already gone
  }
}

/**
 * SIGKILLs a daemon and everything under it, synchronously (usable from a
 * signal handler). The daemon is stopped first so it cannot spawn or restart
 * children between the snapshot of its tree and the kills; children that lead
 * their own process group are killed as a group, taking pipelines with them.
 */
export function killTree(root: number): void {
  killQuietly(root, 'SIGSTOP');
  const tree = descendants(root);
  killQuietly(-root, 'SIGKILL');
  killQuietly(root, 'SIGKILL');
  for (const entry of tree) {
    if (entry.pgid === entry.pid) killQuietly(-entry.pid, 'SIGKILL');
    killQuietly(entry.pid, 'SIGKILL');
  }
}
