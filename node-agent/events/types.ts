/** supervisord's event types and their parents (compat spec §4.1). */
export const EVENT_PARENTS = {
  EVENT: undefined,
  PROCESS_STATE: 'EVENT',
  PROCESS_STATE_STOPPED: 'PROCESS_STATE',
  PROCESS_STATE_STARTING: 'PROCESS_STATE',
  PROCESS_STATE_RUNNING: 'PROCESS_STATE',
  PROCESS_STATE_BACKOFF: 'PROCESS_STATE',
  PROCESS_STATE_STOPPING: 'PROCESS_STATE',
  PROCESS_STATE_EXITED: 'PROCESS_STATE',
  PROCESS_STATE_FATAL: 'PROCESS_STATE',
  PROCESS_STATE_UNKNOWN: 'PROCESS_STATE',
  PROCESS_LOG: 'EVENT',
  PROCESS_LOG_STDOUT: 'PROCESS_LOG',
  PROCESS_LOG_STDERR: 'PROCESS_LOG',
  PROCESS_COMMUNICATION: 'EVENT',
  PROCESS_COMMUNICATION_STDOUT: 'PROCESS_COMMUNICATION',
  PROCESS_COMMUNICATION_STDERR: 'PROCESS_COMMUNICATION',
  REMOTE_COMMUNICATION: 'EVENT',
  SUPERVISOR_STATE_CHANGE: 'EVENT',
  SUPERVISOR_STATE_CHANGE_RUNNING: 'SUPERVISOR_STATE_CHANGE',
  SUPERVISOR_STATE_CHANGE_STOPPING: 'SUPERVISOR_STATE_CHANGE',
  TICK: 'EVENT',
  TICK_5: 'TICK',
  TICK_60: 'TICK',
  TICK_3600: 'TICK',
  PROCESS_GROUP: 'EVENT',
  PROCESS_GROUP_ADDED: 'PROCESS_GROUP',
  PROCESS_GROUP_REMOVED: 'PROCESS_GROUP',
} as const satisfies Record<string, string | undefined>;

export type EventType = keyof typeof EVENT_PARENTS;

export function isEventType(name: string): name is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_PARENTS, name);
}

/** True when an event of `type` is delivered to a subscriber of `subscribed` (a type or one of its ancestors). */
export function eventMatches(type: EventType, subscribed: EventType): boolean {
  for (let t: EventType | undefined = type; t !== undefined; t = EVENT_PARENTS[t]) {
    if (t === subscribed) return true;
  }
  return false;
}

/**
 * One event as the agent produced it. `fields` are the payload header fields in
 * supervisord's order (processname, groupname, from_state, …); `data` is the
 * body after the first newline for log/communication events.
 */
export interface AgentEvent {
  type: EventType;
  /** Epoch milliseconds. */
  time: number;
  fields: Array<[string, string | number]>;
  data?: string;
}
