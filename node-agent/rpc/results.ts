import { Faults, RpcFault } from '../api/faults.js';
import type { ProcessStatus } from '../api/types.js';
import type { ProcessGroup } from '../supervisor/group.js';
import { makeNamespec } from '../api/namespec.js';
import type { Subprocess } from '../process/types.js';

/** A per-process outcome: done now, or a promise that settles when the process got where it was sent. */
export type Outcome = boolean | Promise<boolean>;

/**
 * Apply `act` to every selected process and collect supervisord's status
 * structs: outcomes known at once in process order, then the waited ones in
 * the order they complete (compat spec §3.5).
 */
export async function forEachProcess(
  targets: Array<[ProcessGroup, Subprocess]>,
  select: (proc: Subprocess) => boolean,
  act: (namespec: string) => Outcome,
): Promise<ProcessStatus[]> {
  const results: ProcessStatus[] = [];
  const pending: Promise<void>[] = [];
  for (const [group, proc] of targets) {
    if (!select(proc)) continue;
    const status = (code: number, description: string): ProcessStatus => ({
      name: proc.config.name,
      group: group.name,
      status: code,
      description,
    });
    let outcome: Outcome;
    try {
      outcome = act(makeNamespec(group.name, proc.config.name));
    } catch (err) {
      results.push(faultStatus(err, status));
      continue;
    }
    if (outcome instanceof Promise) {
      pending.push(
        outcome.then(
          () => void results.push(status(Faults.SUCCESS, 'OK')),
          (err: unknown) => void results.push(faultStatus(err, status)),
        ),
      );
    } else {
      results.push(status(Faults.SUCCESS, 'OK'));
    }
  }
  await Promise.all(pending);
  return results;
}

function faultStatus(err: unknown, status: (code: number, description: string) => ProcessStatus): ProcessStatus {
  if (err instanceof RpcFault) return status(err.faultCode, err.faultString);
  throw err;
}
