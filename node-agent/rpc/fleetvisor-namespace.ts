import { RpcFault } from '../api/faults.js';
import type { XmlRpcValue } from '../api/types.js';
import { hostInfo } from '../agent/host-info.js';
import { ProcessStatsSampler } from '../agent/process-stats.js';
import type { EventRing, RingRead } from '../events/ring.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { MethodRegistry } from './registry.js';

export interface FleetvisorNamespaceDeps {
  supervisor: Supervisor;
  ring: EventRing;
  /** Defaults to a new sampler over /proc. */
  stats?: ProcessStatsSampler;
}

export const GET_EVENTS_LIMITS = {
  maxWaitSeconds: 300,
  defaultMax: 1000,
  maxMax: 10000,
} as const;

/**
 * fleetvisor.*: what the hub uses beyond supervisor.* — a long-polled event
 * subscription, the host's description and per-process resource use.
 */
export function registerFleetvisorNamespace(registry: MethodRegistry, deps: FleetvisorNamespaceDeps): void {
  const { ring, supervisor } = deps;
  const stats = deps.stats ?? new ProcessStatsSampler();

  registry.register({
    name: 'fleetvisor.getEvents',
    signature: ['struct', 'string', 'int', 'int'],
    optional: 2,
    help:
      'Return the events after a cursor, waiting up to waitSeconds (at most 300) for one when there are none.\n\n' +
      '@param string cursor  The cursor of the previous answer, or "" for the oldest event held\n' +
      '@param int waitSeconds  How long to wait for an event (default 0)\n' +
      '@param int max  Most events to return (1-10000, default 1000)\n' +
      '@return struct result  {events: array of structs (serial, type, time, payload, group, process, from_state, to_state, pid, ...), ' +
      'cursor: string, boot: string, resync: boolean (true: the cursor is from another boot or older than the ring; resync from a snapshot)}',
    handler: async ([cursorArg, waitArg, maxArg]) => {
      const cursor = stringArg(cursorArg);
      const waitSeconds = clamp(numberArg(waitArg, 0), 0, GET_EVENTS_LIMITS.maxWaitSeconds);
      const max = clamp(Math.trunc(numberArg(maxArg, GET_EVENTS_LIMITS.defaultMax)), 1, GET_EVENTS_LIMITS.maxMax);
      const first = ring.read(cursor, max);
      if (first.events.length > 0 || first.resync || waitSeconds === 0) return answer(first);
      await ring.wait(first.cursor, waitSeconds * 1000);
      return answer(ring.read(first.cursor, max));
    },
  });

  registry.register({
    name: 'fleetvisor.getHostInfo',
    signature: ['struct'],
    help:
      'Describe the host and this agent.\n\n@return struct result  {hostname, os, platform, release, arch, cpus, loadavg, memory_total, memory_free, ' +
      'agent_version, supervisor_version, node_version, boot, pid, daemon_uptime, host_uptime}',
    handler: () => hostInfo(ring.boot),
  });

  registry.register({
    name: 'fleetvisor.getProcessStats',
    signature: ['array'],
    help:
      'CPU and memory of every process that has a pid (summed over the process group for stopasgroup programs); ' +
      'cpu_percent covers the time since the previous call.\n\n@return array result  Structs {name, group, pid, cpu_percent, rss, processes}',
    handler: () =>
      stats.sample(
        supervisor
          .allByName()
          .filter(([, proc]) => proc.pid > 0)
          .map(([group, proc]) => ({ name: proc.config.name, group: group.name, pid: proc.pid, asGroup: proc.config.stopasgroup })),
      ),
  });
}

function answer(read: RingRead): XmlRpcValue {
  return { events: read.events, cursor: read.cursor, boot: read.boot, resync: read.resync };
}

function stringArg(value: XmlRpcValue | undefined): string {
  if (typeof value !== 'string') throw new RpcFault('INCORRECT_PARAMETERS');
  return value;
}

function numberArg(value: XmlRpcValue | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RpcFault('INCORRECT_PARAMETERS');
  return value;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
