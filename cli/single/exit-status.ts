/**
 * supervisorctl's exit statuses (LSB init-script codes) and the rule that
 * turns a per-process fault code into one (compat spec §5.2).
 */
import { Faults } from '../../node-agent/api/faults.js';

export const Exit = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
} as const;

/** `status` uses the LSB status-action codes instead. */
export const StatusExit = {
  NOT_RUNNING: 3,
  UNKNOWN: 4,
} as const;

const DEAD_PROGRAM_FAULTS: ReadonlySet<number> = new Set([Faults.SPAWN_ERROR, Faults.ABNORMAL_TERMINATION, Faults.NOT_RUNNING]);

/**
 * The exit status after a per-process result with `faultCode`; undefined
 * leaves the current one (success, or the fault the command tolerates such
 * as ALREADY_STARTED for start). The last result that changes it wins.
 */
export function exitStatusForFault(faultCode: number, tolerated?: number): number | undefined {
  if (faultCode === Faults.SUCCESS || faultCode === tolerated) return undefined;
  return DEAD_PROGRAM_FAULTS.has(faultCode) ? Exit.NOT_RUNNING : Exit.GENERIC;
}
