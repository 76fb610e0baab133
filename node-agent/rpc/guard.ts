import { RpcFault } from '../api/faults.js';
import type { Subprocess } from '../process/types.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Handler } from './registry.js';

/** Wrap a supervisor.* handler so it refuses to run while the daemon stops or restarts (SHUTDOWN_STATE). */
export function guard(sup: Supervisor): (handler: Handler) => Handler {
  return (handler) => (args, ctx) => {
    if (sup.state !== 'RUNNING') throw new RpcFault('SHUTDOWN_STATE');
    return handler(args, ctx);
  };
}

/** The process a namespec names, or BAD_NAME (whole-group specs included). */
export function requireProcess(found: { process?: Subprocess }, spec: string): Subprocess {
  if (!found.process) throw new RpcFault('BAD_NAME', spec);
  return found.process;
}
