import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPERVISOR_VERSION } from '../api/types.js';

/** fleetvisor.getHostInfo's answer: what the hub shows about a machine. */
export interface HostInfo {
  [key: string]: string | number | number[];
  hostname: string;
  /** os.type(), e.g. Linux. */
  os: string;
  platform: string;
  release: string;
  arch: string;
  cpus: number;
  loadavg: number[];
  memory_total: number;
  memory_free: number;
  agent_version: string;
  supervisor_version: string;
  node_version: string;
  boot: string;
  pid: number;
  /** Seconds since the daemon process started (a reload keeps the process). */
  daemon_uptime: number;
  host_uptime: number;
}

export function hostInfo(boot: string): HostInfo {
  return {
    hostname: os.hostname(),
    os: os.type(),
    platform: process.platform,
    release: os.release(),
    arch: process.arch,
    cpus: os.availableParallelism(),
    loadavg: os.loadavg(),
    memory_total: os.totalmem(),
    memory_free: os.freemem(),
    agent_version: agentVersion(),
    supervisor_version: SUPERVISOR_VERSION,
    node_version: process.versions.node,
    boot,
    pid: process.pid,
    daemon_uptime: Math.round(process.uptime() * 1000) / 1000,
    host_uptime: os.uptime(),
  };
}

let cachedVersion: string | undefined;

/** The version in our package.json, found by walking up from this module (works from sources and from dist/). */
export function agentVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'fleetvisor' && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return (cachedVersion = 'unknown');
    dir = parent;
  }
}
