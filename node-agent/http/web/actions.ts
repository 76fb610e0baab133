import { Faults, RpcFault } from '../../api/faults.js';
import type { CallContext, RpcDispatcher } from '../../rpc/types.js';
import { ctime } from './html.js';
import type { WebSupervisor } from './types.js';

/** What an `action=` request of the status page comes to. */
export type ActionOutcome =
  /** Redirect to the status page showing this message. */
  | { kind: 'message'; message: string }
  /** supervisord raises on these (HTTP 500): unknown action, or a process action without a name. */
  | { kind: 'bad-action'; action: string };

export interface ActionEnv {
  supervisor: WebSupervisor;
  dispatcher: RpcDispatcher;
  ctx: CallContext;
  now?: () => Date;
}

const START_FAULT_TEXT: ReadonlyMap<number, string> = new Map([
  [Faults.NO_FILE, 'no such file'],
  [Faults.NOT_EXECUTABLE, 'file not executable'],
  [Faults.ALREADY_STARTED, 'already started'],
  [Faults.SPAWN_ERROR, 'spawn error'],
  [Faults.ABNORMAL_TERMINATION, 'abnormal termination'],
]);

function unexpectedFault(fault: RpcFault): string {
  return `unexpected rpc fault [${fault.faultCode}] ${fault.faultString}`;
}

/** Run `call`; a fault becomes `onFault(fault)`, anything else propagates (→ HTTP 500). */
async function withFault(call: Promise<unknown>, ok: string, onFault: (fault: RpcFault) => string): Promise<string> {
  try {
    await call;
    return ok;
  } catch (err) {
    if (err instanceof RpcFault) return onFault(err);
    throw err;
  }
}

/**
 * Do what the status page's `action` asks, through the same RPC methods
 * supervisord's page calls, waiting as they wait; resolve to the message of
 * the redirect (compat spec §6).
 */
export async function runAction(action: string, namespec: string | undefined, env: ActionEnv): Promise<ActionOutcome> {
  const now = env.now ?? (() => new Date());
  const call = (method: string, params: Parameters<RpcDispatcher['call']>[1]) =>
    env.dispatcher.call(method, params, env.ctx);
  const message = (text: string): ActionOutcome => ({ kind: 'message', message: text });

  if (action === 'refresh') return message(`Page refreshed at ${ctime(now())}`);
  if (action === 'stopall') {
    await call('supervisor.stopAllProcesses', []);
    return message(`All stopped at ${ctime(now())}`);
  }
  if (action === 'restartall') {
    await call('system.multicall', [
      [{ methodName: 'supervisor.stopAllProcesses' }, { methodName: 'supervisor.startAllProcesses' }],
    ]);
    return message(`All restarted at ${ctime(now())}`);
  }
  if (!namespec) return { kind: 'bad-action', action };
  if (!env.supervisor.lookup(namespec).process) return message(`No such process named ${namespec}`);

  switch (action) {
    case 'start':
      return message(
        await withFault(call('supervisor.startProcess', [namespec]), `Process ${namespec} started`, (fault) => {
          const text = START_FAULT_TEXT.get(fault.faultCode) ?? unexpectedFault(fault);
          return `ERROR: Process ${namespec}: ${text}`;
        }),
      );
    case 'stop':
      return message(await withFault(call('supervisor.stopProcess', [namespec]), `Process ${namespec} stopped`, unexpectedFault));
    case 'restart':
      // supervisord reports success whatever the two calls returned.
      await call('system.multicall', [
        [
          { methodName: 'supervisor.stopProcess', params: [namespec] },
          { methodName: 'supervisor.startProcess', params: [namespec] },
        ],
      ]);
      return message(`Process ${namespec} restarted`);
    case 'clearlog':
      return message(await withFault(call('supervisor.clearProcessLogs', [namespec]), `Log for ${namespec} cleared`, unexpectedFault));
    default:
      return { kind: 'bad-action', action };
  }
}
