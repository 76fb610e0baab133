/** Process states with supervisord's numeric codes (compat spec §2.1). */
export const ProcessState = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

export type ProcessStateName = keyof typeof ProcessState;
export type ProcessStateCode = (typeof ProcessState)[ProcessStateName];

const NAME_BY_CODE = new Map<number, ProcessStateName>(
  Object.entries(ProcessState).map(([name, code]) => [code, name as ProcessStateName]),
);

export function processStateName(code: number): ProcessStateName {
  return NAME_BY_CODE.get(code) ?? 'UNKNOWN';
}

export const RUNNING_STATES: ReadonlySet<ProcessStateName> = new Set(['STARTING', 'RUNNING', 'BACKOFF']);
export const STOPPED_STATES: ReadonlySet<ProcessStateName> = new Set(['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN']);
export const SIGNALLABLE_STATES: ReadonlySet<ProcessStateName> = new Set(['STARTING', 'RUNNING', 'STOPPING']);

/** The daemon's own state (getState). */
export const SupervisorState = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
} as const;
export type SupervisorStateName = keyof typeof SupervisorState;

/** Event listener protocol states. */
export const ListenerState = {
  READY: 10,
  BUSY: 20,
  ACKNOWLEDGED: 30,
  UNKNOWN: 40,
} as const;
export type ListenerStateName = keyof typeof ListenerState;
