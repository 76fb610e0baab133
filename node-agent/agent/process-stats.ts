import { readdirSync, readFileSync } from 'node:fs';

/** What fleetvisor.getProcessStats says about one supervised process. */
export interface ProcessStats {
  [key: string]: string | number;
  name: string;
  group: string;
  pid: number;
  /** Percent of one CPU since the previous sample of this process (or since it started). */
  cpu_percent: number;
  /** Resident memory in bytes. */
  rss: number;
  /** Processes counted: 1, or the size of the process group for stopasgroup programs. */
  processes: number;
}

export interface StatsTarget {
  name: string;
  group: string;
  pid: number;
  /** Sum over every process whose process group is `pid` (stopasgroup programs). */
  asGroup: boolean;
}

interface ProcSample {
  pid: number;
  pgrp: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Clock ticks after host boot. */
  starttime: number;
}

/** USER_HZ: 100 on every Linux build Node supports; /proc reports CPU time in these units. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU and memory of supervised processes from /proc/<pid>/stat and statm.
 * Keeps the previous CPU reading of each process so each call reports the
 * CPU used since the last one.
 */
export class ProcessStatsSampler {
  readonly #procRoot: string;
  readonly #previous = new Map<string, { cpuTicks: number; at: number }>();
  #pageSize: number | undefined;

  constructor(procRoot = '/proc') {
    this.#procRoot = procRoot;
  }

  sample(targets: StatsTarget[]): ProcessStats[] {
    const uptime = this.#hostUptime();
    const now = Date.now() / 1000;
    const groups = targets.some((t) => t.asGroup) ? this.#byProcessGroup() : new Map<number, ProcSample[]>();
    const seen = new Set<string>();
    const out: ProcessStats[] = [];
    for (const target of targets) {
      const leader = this.#readStat(target.pid);
      if (!leader) continue;
      const members = target.asGroup ? groups.get(target.pid) ?? [leader] : [leader];
      if (!members.some((m) => m.pid === leader.pid)) members.push(leader);
      const cpuTicks = members.reduce((sum, m) => sum + m.cpuTicks, 0);
      const key = `${leader.pid}:${leader.starttime}`;
      seen.add(key);
      const before = this.#previous.get(key);
      const since = before ? before.at : now - Math.max(0, uptime - leader.starttime / CLOCK_TICKS_PER_SECOND);
      const usedTicks = Math.max(0, cpuTicks - (before?.cpuTicks ?? 0));
      const elapsed = now - since;
      const cpuPercent = elapsed > 0 ? (usedTicks / CLOCK_TICKS_PER_SECOND / elapsed) * 100 : 0;
      this.#previous.set(key, { cpuTicks, at: now });
      out.push({
        name: target.name,
        group: target.group,
        pid: target.pid,
        cpu_percent: Math.round(cpuPercent * 100) / 100,
        rss: members.reduce((sum, m) => sum + this.#rssBytes(m.pid), 0),
        processes: members.length,
      });
    }
    for (const key of this.#previous.keys()) if (!seen.has(key)) this.#previous.delete(key);
    return out;
  }

  #readStat(pid: number): ProcSample | undefined {
    const text = this.#read(`${pid}/stat`);
    if (text === undefined) return undefined;
    // The command name, in parentheses, may itself hold spaces and ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 of proc(5): state; pgrp = 5, utime = 14, stime = 15, starttime = 22.
    return {
      pid,
      pgrp: Number(fields[2]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      starttime: Number(fields[19]),
    };
  }

  #byProcessGroup(): Map<number, ProcSample[]> {
    const groups = new Map<number, ProcSample[]>();
    let entries: string[];
    try {
      entries = readdirSync(this.#procRoot);
    } catch {
      return groups;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = this.#readStat(Number(entry));
      if (!stat) continue;
      const list = groups.get(stat.pgrp);
      if (list) list.push(stat);
      else groups.set(stat.pgrp, [stat]);
    }
    return groups;
  }

  #rssBytes(pid: number): number {
    const statm = this.#read(`${pid}/statm`);
    const residentPages = statm === undefined ? 0 : Number(statm.split(' ')[1]) || 0;
    return residentPages * this.#pageBytes();
  }

  /** The page size, which Node does not expose: our own resident pages against our own RSS, to the nearest power of two. */
  #pageBytes(): number {
    if (this.#pageSize !== undefined) return this.#pageSize;
    const pages = Number(this.#read('self/statm')?.split(' ')[1]);
    const rss = process.memoryUsage.rss();
    this.#pageSize = pages > 0 ? 2 ** Math.round(Math.log2(rss / pages)) : 4096;
    return this.#pageSize;
  }

  #hostUptime(): number {
    return Number(this.#read('uptime')?.split(' ')[0]) || 0;
  }

  #read(path: string): string | undefined {
    try {
      return readFileSync(`${this.#procRoot}/${path}`, 'utf8');
    } catch {
      return undefined;
    }
  }
}
