/**
 * Where the CPU goes during the web view's benchmark, read from /proc: the
 * CPU time of every process descended from this one (the hub, the agents and
 * their children, Chromium), grouped by role, and the whole machine's busy
 * time, so a report can say how much of the 2 shared cores the page's
 * neighbours took.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type Role = 'hub' | 'fleetvisord' | 'children' | 'chromium-renderer' | 'chromium-other' | 'bench';

export interface CpuSample {
  at: number;
  /** CPU seconds by role, of the processes alive at `at` (and their reaped children). */
  byRole: Record<Role, number>;
  /** Busy and total CPU seconds of the whole machine (every core). */
  machineBusy: number;
  machineTotal: number;
}

interface ProcStat {
  pid: number;
  ppid: number;
  seconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); utime, stime, cutime, cstime are fields 14–17.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { pid, ppid: Number(fields[1]), seconds: ticks / TICKS_PER_SECOND };
  } catch {
    return undefined; // exited meanwhile
  }
}

function roleOf(pid: number, self: number): Role {
  if (pid === self) return 'bench';
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return 'children';
  }
  if (cmdline.includes('hub/main')) return 'hub';
  if (cmdline.includes('node-agent/main')) return 'fleetvisord';
  if (cmdline.includes('chromium')) return cmdline.includes('--type=renderer') ? 'chromium-renderer' : 'chromium-other';
  return 'children';
}

function machine(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle! + iowait!) / TICKS_PER_SECOND };
}

/** CPU seconds so far of this process's descendants, by role. */
export function sampleCpu(): CpuSample {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== undefined) stats.set(stat.pid, stat);
  }
  const children = new Map<number, number[]>();
  for (const stat of stats.values()) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const byRole: Record<Role, number> = { hub: 0, fleetvisord: 0, children: 0, 'chromium-renderer': 0, 'chromium-other': 0, bench: 0 };
  const self = process.pid;
  const pending = [self];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const stat = stats.get(pid);
    if (stat === undefined) continue;
    byRole[roleOf(pid, self)] += stat.seconds;
    pending.push(...(children.get(pid) ?? []));
  }
  const { busy, total } = machine();
  return { at: Date.now(), byRole, machineBusy: busy, machineTotal: total };
}

export interface CpuShare {
  seconds: number;
  /** Share of one core per role over the interval (100 = one whole core). */
  percentOfCore: Record<Role, number>;
  /** Busy share of the whole machine (100 = every core busy), and how much of it was not this bench's. */
  machineBusyPercent: number;
  othersPercentOfCore: number;
}

/** CPU use between two samples; a process that started or exited in between counts only while it was seen. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuShare {
  const seconds = (after.at - before.at) / 1000;
  const percentOfCore = {} as Record<Role, number>;
  let ours = 0;
  for (const role of Object.keys(after.byRole) as Role[]) {
    const used = Math.max(0, after.byRole[role] - before.byRole[role]);
    ours += used;
    percentOfCore[role] = Math.round((used / seconds) * 100);
  }
  const busy = after.machineBusy - before.machineBusy;
  const total = after.machineTotal - before.machineTotal;
  return {
    seconds: Number(seconds.toFixed(1)),
    percentOfCore,
    machineBusyPercent: Math.round((busy / Math.max(total, 1e-9)) * 100),
    othersPercentOfCore: Math.max(0, Math.round(((busy - ours) / seconds) * 100)),
  };
}
