import type { ProcessStateName } from '../api/states.js';
import type { Logger } from '../logs/types.js';
import type { Subprocess } from '../process/types.js';
import type { ProcessGroup } from '../supervisor/group.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { EventBus } from './bus.js';
import { formatPayload } from './envelope.js';
import { OutputEvents } from './output-events.js';
import { ListenerPool, toPoolEvent, type PoolEvent } from './pool.js';
import type { EventRing } from './ring.js';
import type { ProcessFacts } from './ring-event.js';
import type { EventSerials } from './serials.js';
import { startTicks } from './ticks.js';
import type { AgentEvent } from './types.js';

export { EventBus, type EventSubscriber } from './bus.js';
export { characterLength, decodeEventData, formatEnvelope, formatPayload, pythonBytesRepr } from './envelope.js';
export { ListenerPool, type PoolEvent } from './pool.js';
export { EventRing, type EventRingOptions, type RingRead } from './ring.js';
export type { RingEventStruct } from './ring-event.js';
export { EventSerials } from './serials.js';
export { startTicks } from './ticks.js';
export * from './types.js';
export { registerFleetvisorNamespace, type FleetvisorNamespaceDeps } from '../rpc/fleetvisor-namespace.js';

export interface AttachEventsOptions {
  supervisor: Supervisor;
  bus: EventBus;
  logger: Logger;
  /** [supervisord] identifier: the envelope's `server:`. */
  identifier: string;
  /** The global serial; the same object across reloads. */
  serials: EventSerials;
  /** The subscription ring; the same object across reloads. */
  ring: EventRing;
  /**
   * supervisord re-queues a rejected event into every pool that holds a
   * process of the rejecting listener's priority, subscribed or not (compat
   * spec §4.4 quirk). Default true; false keeps it in the listener's own pool.
   */
  leakRejectedEvents?: boolean;
  /** Publish TICK_* events (default true). */
  ticks?: boolean;
  /** Keep TICK_* events in the ring too (default false: they would crowd out the events the hub wants). */
  ringTicks?: boolean;
}

export interface AttachedEvents {
  /** Hand every child output chunk here (SubprocessContext.onOutput): listener protocol, PROCESS_LOG, capture mode. */
  onOutput(proc: Subprocess, channel: 'stdout' | 'stderr', chunk: Buffer): void;
  /** The listener pool of an [eventlistener:x] group. */
  pool(name: string): ListenerPool | undefined;
  /**
   * Stop listening to the bus, stop ticks, drop the pools' queues and end
   * every waiting getEvents call, and any started until the next attach (so
   * closing the HTTP servers does not wait for long-polls). The ring and
   * serials stay for the next attach.
   */
  detach(): void;
}

/**
 * Connect the event machinery to one Supervisor (one boot or reload): every
 * bus event is formatted once, kept in the ring, and queued into the listener
 * pools that subscribe to it; one pool per eventlistener group, created when
 * its PROCESS_GROUP_ADDED is published (so, like supervisord's, a pool sees
 * its own ADDED event and the later ones).
 */
export function attachEvents(opts: AttachEventsOptions): AttachedEvents {
  const { supervisor, logger, ring } = opts;
  const pools = new Map<string, { group: ProcessGroup; pool: ListenerPool }>();
  const leak = opts.leakRejectedEvents ?? true;
  const output = new OutputEvents(
    (type, fields, data) => supervisor.publish(type, fields, data),
    supervisor.config.supervisord.stripAnsi,
    (proc, channel, data) => supervisor.logsOf(proc)[channel]?.write(data),
  );

  const requeueRejected = (event: PoolEvent, listener: Subprocess) => {
    for (const { pool } of pools.values()) {
      const takesIt = leak ? pool.hasPriority(listener.config.priority) : pool.owns(listener);
      if (takesIt) pool.accept(event, true);
    }
    for (const { pool } of pools.values()) pool.dispatch();
  };

  const addPool = (group: ProcessGroup) => {
    if (group.config.kind !== 'eventlistener' || pools.get(group.name)?.group === group) return;
    pools.get(group.name)?.pool.close();
    const pool = new ListenerPool({
      group,
      identifier: opts.identifier,
      serials: opts.serials,
      logger,
      onRejected: requeueRejected,
    });
    pools.set(group.name, { group, pool });
  };

  const removePool = (name: string) => {
    const entry = pools.get(name);
    if (!entry || supervisor.groups.get(name) === entry.group) return;
    entry.pool.close();
    pools.delete(name);
  };

  const factsOf = (event: AgentEvent): ProcessFacts | undefined => {
    if (!event.type.startsWith('PROCESS_STATE_')) return undefined;
    const proc = processOf(supervisor, event);
    if (!proc) return undefined;
    const to = event.type.slice('PROCESS_STATE_'.length);
    return {
      exitstatus: to === 'EXITED' || to === 'STOPPED' ? proc.exitstatus : undefined,
      spawnerr: to === 'BACKOFF' || to === 'FATAL' || to === 'EXITED' ? proc.spawnerr : undefined,
    };
  };

  const onEvent = (event: AgentEvent) => {
    const groupName = fieldOf(event, 'groupname');
    if (event.type === 'PROCESS_GROUP_ADDED' && groupName !== undefined) {
      const group = supervisor.groups.get(groupName);
      if (group) addPool(group);
    } else if (event.type === 'PROCESS_GROUP_REMOVED' && groupName !== undefined) {
      removePool(groupName);
    }

    const payload = formatPayload(event);
    if (opts.ringTicks || !event.type.startsWith('TICK_')) ring.push(event, payload, factsOf(event));

    const poolEvent = toPoolEvent(event, payload);
    for (const { pool } of pools.values()) if (pool.subscribes(event.type)) pool.accept(poolEvent);

    if (event.type.startsWith('PROCESS_STATE_') && groupName !== undefined) {
      const processName = fieldOf(event, 'processname');
      const to = event.type.slice('PROCESS_STATE_'.length) as ProcessStateName;
      if (processName !== undefined) pools.get(groupName)?.pool.onListenerState(processName, to);
    }
    for (const { pool } of pools.values()) pool.dispatch();
  };

  ring.setDraining(false);
  for (const group of supervisor.groupsByPriority()) addPool(group);
  const unsubscribe = opts.bus.subscribe(onEvent);
  const stopTicks =
    opts.ticks === false ? () => {} : startTicks((type, when) => supervisor.publish(type, [['when', when]]));

  return {
    onOutput(proc, channel, chunk) {
      const entry = pools.get(proc.groupName);
      if (channel === 'stdout' && entry?.pool.owns(proc)) entry.pool.onListenerOutput(proc, chunk);
      else output.onOutput(proc, channel, chunk);
    },
    pool: (name) => pools.get(name)?.pool,
    detach() {
      unsubscribe();
      stopTicks();
      for (const { pool } of pools.values()) pool.close();
      pools.clear();
      ring.setDraining(true);
    },
  };
}

function fieldOf(event: AgentEvent, name: string): string | undefined {
  const field = event.fields.find(([key]) => key === name);
  return field === undefined ? undefined : String(field[1]);
}

function processOf(supervisor: Supervisor, event: AgentEvent): Subprocess | undefined {
  const group = fieldOf(event, 'groupname');
  const name = fieldOf(event, 'processname');
  if (group === undefined || name === undefined) return undefined;
  return supervisor.groups.get(group)?.processes.get(name);
}
