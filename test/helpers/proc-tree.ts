/**
 * Finds what a test daemon left running so teardown can kill it. supervisord
 * puts every child in its own process group (setpgrp), so killing the
 * daemon's group is not enough: we also follow parent links and the session
 * (children keep the daemon's session even after being orphaned).
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  pid: number;
  ppid: number;
  session: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), session: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Pids descended from `root` or sharing the session it leads (excluding `root`). */
export function processesOf(root: number): number[] {
  const stats = allStats();
  const found = new Set<number>(stats.filter((s) => s.session === root && s.pid !== root).map((s) => s.pid));
  let frontier = [root];
  while (frontier.length > 0) {
    const parents = new Set(frontier);
    frontier = stats.filter((s) => parents.has(s.ppid) && !found.has(s.pid)).map((s) => s.pid);
    frontier.forEach((pid) => found.add(pid));
  }
  return [...found];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs each pid's process group and the pid itself; ignores the already gone. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone, or not a group leader
      }
    }
  }
}
