/**
 * Wire values from an agent → the hub's vocabulary. Agents are remote and
 * may be of another version, so every field is checked, never trusted.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { ProcessState, processStateName } from '../../node-agent/api/states.js';
import type { ProcessInfo, XmlRpcValue } from '../../node-agent/api/types.js';
import { makeNamespec } from '../../node-agent/api/namespec.js';
import type { HubEvent, ProcessSnapshot } from '../types.js';

/** fleetvisor.getEvents' answer. */
export interface EventsAnswer {
  events: XmlRpcValue[];
  cursor: string;
  boot: string;
  resync: boolean;
}

export function eventsAnswerFrom(value: XmlRpcValue): EventsAnswer {
  const struct = asStruct(value, 'fleetvisor.getEvents');
  const { events, cursor, boot, resync } = struct;
  if (!Array.isArray(events) || typeof cursor !== 'string' || typeof boot !== 'string' || typeof resync !== 'boolean') {
    throw incompatible('fleetvisor.getEvents answered without events/cursor/boot/resync');
  }
  return { events, cursor, boot, resync };
}

/** Keys of the ring's event struct that map onto HubEvent fields; the rest goes to payload. */
const MAPPED_KEYS = new Set(['serial', 'type', 'time', 'group', 'process', 'from_state', 'to_state', 'pid', 'expected', 'exitstatus', 'spawnerr']);

/** One event of a fleetvisord ring → a HubEvent (reported, with its serial). */
export function hubEventFromRing(agent: string, boot: string, value: XmlRpcValue): HubEvent {
  const s = asStruct(value, 'event');
  if (typeof s.serial !== 'number' || typeof s.type !== 'string' || typeof s.time !== 'number') {
    throw incompatible('fleetvisor.getEvents: an event lacks serial, type or time');
  }
  const event: HubEvent = {
    agent,
    boot,
    serial: s.serial,
    time: Math.round(s.time * 1000),
    type: s.type,
    observed: false,
  };
  if (typeof s.group === 'string') event.group = s.group;
  if (typeof s.process === 'string') event.process = s.process;
  if (typeof s.from_state === 'string') event.fromState = s.from_state;
  if (typeof s.to_state === 'string') event.toState = s.to_state;
  if (typeof s.pid === 'number') event.pid = s.pid;
  if (typeof s.expected === 'boolean') event.expected = s.expected;
  if (typeof s.exitstatus === 'number') event.exitStatus = s.exitstatus;
  if (typeof s.spawnerr === 'string') event.spawnErr = s.spawnerr;
  const rest: Record<string, XmlRpcValue> = {};
  for (const [key, field] of Object.entries(s)) if (!MAPPED_KEYS.has(key)) rest[key] = field;
  if (Object.keys(rest).length > 0) event.payload = JSON.stringify(rest);
  return event;
}

/** An event the hub itself makes (HUB_GAP, HUB_RESYNC, HUB_AGENT_HEALTH). */
export function hubMadeEvent(agent: string, boot: string, time: number, type: string, details: Record<string, unknown>, extra: Partial<HubEvent> = {}): HubEvent {
  return { agent, boot, serial: null, time, type, observed: false, payload: JSON.stringify(details), ...extra };
}

export function processInfosFrom(value: XmlRpcValue): ProcessInfo[] {
  if (!Array.isArray(value)) throw incompatible('supervisor.getAllProcessInfo did not answer an array');
  return value.map((item) => {
    const s = asStruct(item, 'process info');
    if (typeof s.name !== 'string' || typeof s.group !== 'string' || typeof s.state !== 'number') {
      throw incompatible('supervisor.getAllProcessInfo: an entry lacks name, group or state');
    }
    return s as unknown as ProcessInfo;
  });
}

export function snapshotFromInfo(agent: string, info: ProcessInfo, updated: number): ProcessSnapshot {
  return {
    agent,
    group: info.group,
    name: info.name,
    state: typeof info.statename === 'string' ? info.statename : processStateName(info.state),
    statecode: info.state,
    pid: numberOr(info.pid, 0),
    description: typeof info.description === 'string' ? info.description : '',
    start: numberOr(info.start, 0),
    stop: numberOr(info.stop, 0),
    exitstatus: numberOr(info.exitstatus, 0),
    spawnerr: typeof info.spawnerr === 'string' ? info.spawnerr : '',
    updated,
  };
}

/** The row's namespec as supervisorctl shows it (`web`, `grp:member`); supervisor.* methods take it too. */
export function namespecOf(row: { group: string; name: string }): string {
  return makeNamespec(row.group, row.name);
}

/** The numeric code of a state name ('RUNNING' → 20), UNKNOWN's for an unknown name. */
export function stateCodeOf(name: string): number {
  return (ProcessState as Record<string, number>)[name] ?? ProcessState.UNKNOWN;
}

/** The agent answered, but not what a compatible agent answers. */
export function incompatible(message: string): FleetvisorError {
  return new FleetvisorError('FV_AGENT_INCOMPATIBLE', message);
}

function asStruct(value: XmlRpcValue, what: string): Record<string, XmlRpcValue> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || Buffer.isBuffer(value)) {
    throw incompatible(`${what}: expected a struct`);
  }
  return value as Record<string, XmlRpcValue>;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
