import type { AgentEvent, EventType } from './types.js';

/**
 * One event as fleetvisor.getEvents returns it: an XML-RPC struct with the
 * supervisord event name, when it happened and the payload's fields under
 * stable names. Keys whose value is unknown are absent (never nil).
 */
export interface RingEventStruct {
  [key: string]: string | number | boolean;
  serial: number;
  /** The supervisord event name, e.g. PROCESS_STATE_RUNNING. */
  type: EventType;
  /** Epoch seconds with milliseconds. */
  time: number;
  /** The supervisord payload text, as a listener would receive it. */
  payload: string;
}

/** What the process knew at the time of a state change, beyond the payload fields. */
export interface ProcessFacts {
  exitstatus?: number;
  spawnerr?: string;
}

/** Payload field name → struct key (REMOTE_COMMUNICATION's `type` would clash with the event type). */
const KEY_OF_FIELD: Readonly<Record<string, string>> = {
  processname: 'process',
  groupname: 'group',
  from_state: 'from_state',
  pid: 'pid',
  tries: 'tries',
  expected: 'expected',
  channel: 'channel',
  when: 'when',
  type: 'comm_type',
};

const INT_KEYS = new Set(['pid', 'tries', 'when']);

export function toRingEvent(serial: number, event: AgentEvent, payload: string, facts: ProcessFacts = {}): RingEventStruct {
  const struct: RingEventStruct = { serial, type: event.type, time: Math.round(event.time) / 1000, payload };
  for (const [name, value] of event.fields) {
    const key = KEY_OF_FIELD[name] ?? name;
    if (key === 'expected') struct.expected = Number(value) === 1;
    else if (INT_KEYS.has(key)) struct[key] = Number(value);
    else struct[key] = String(value);
  }
  if (event.type.startsWith('PROCESS_STATE_')) struct.to_state = event.type.slice('PROCESS_STATE_'.length);
  if (event.data !== undefined && !event.type.startsWith('PROCESS_GROUP_')) struct.data = event.data;
  if (facts.exitstatus !== undefined) struct.exitstatus = facts.exitstatus;
  if (facts.spawnerr) struct.spawnerr = facts.spawnerr;
  return struct;
}

/** Rough memory held by an event, to bound the ring by bytes as well as by count. */
export function approximateSize(struct: RingEventStruct): number {
  const data = typeof struct.data === 'string' ? struct.data.length : 0;
  return 256 + 2 * (struct.payload.length + data);
}
