import { RpcFault } from '../api/faults.js';
import { FleetvisorError } from '../api/errors.js';
import type { XmlRpcValue } from '../api/types.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { guard, requireProcess } from './guard.js';
import { arg, type MethodRegistry } from './registry.js';

/** supervisor.* methods that change the daemon or its config: shutdown, restart, reread/add/remove, stdin, remote events. */
export function registerLifecycleMethods(registry: MethodRegistry, sup: Supervisor): void {
  const method = guard(sup);

  registry.register({
    name: 'supervisor.shutdown',
    signature: ['boolean'],
    help: 'Stop every process, then the daemon.\n\n@return boolean result  Always true unless error',
    handler: method(() => {
      sup.setState('SHUTDOWN');
      return true;
    }),
  });
  registry.register({
    name: 'supervisor.restart',
    signature: ['boolean'],
    help: 'Stop every process, read the config again and start over in the same daemon.\n\n@return boolean result  Always true unless error',
    handler: method(() => {
      sup.setState('RESTARTING');
      return true;
    }),
  });

  registry.register({
    name: 'supervisor.reloadConfig',
    signature: ['array'],
    help: 'Read the config file again and report which process groups it adds, changes and removes; running processes are not touched.\n\n@return array result  [[added, changed, removed]]',
    handler: method(() => {
      try {
        const diff = sup.reread();
        return [[diff.added.map((g) => g.name), diff.changed.map((g) => g.name), diff.removed]];
      } catch (err) {
        if (err instanceof FleetvisorError) throw new RpcFault('CANT_REREAD', err.message);
        throw err;
      }
    }),
  });
  registry.register({
    name: 'supervisor.addProcessGroup',
    signature: ['boolean', 'string'],
    help: 'Activate a process group of the last config read.\n\n@param string name  The group name\n@return boolean result  True when added',
    handler: method(([name]) => {
      const groupName = arg.string(name);
      const gc = sup.candidate.groups.find((g) => g.name === groupName);
      if (!gc) throw new RpcFault('BAD_NAME', groupName);
      if (!sup.addGroup(gc)) throw new RpcFault('ALREADY_ADDED', groupName);
      return true;
    }),
  });
  registry.register({
    name: 'supervisor.removeProcessGroup',
    signature: ['boolean', 'string'],
    help: 'Remove a process group whose processes are all stopped.\n\n@param string name  The group name\n@return boolean result  True when removed',
    handler: method(([name]) => {
      const groupName = arg.string(name);
      if (!sup.groups.has(groupName)) throw new RpcFault('BAD_NAME', groupName);
      if (!sup.removeGroup(groupName)) throw new RpcFault('STILL_RUNNING', groupName);
      return true;
    }),
  });

  registry.register({
    name: 'supervisor.sendProcessStdin',
    signature: ['boolean', 'string', 'string'],
    help: "Write characters (UTF-8 encoded) to a process's stdin.\n\n@param string name  Process name (or group:name)\n@param string chars  The characters to send\n@return boolean result  Always true unless error",
    handler: method(([name, chars]) => {
      if (typeof chars !== 'string' && !Buffer.isBuffer(chars)) throw new RpcFault('INCORRECT_PARAMETERS', pyRepr(chars));
      const spec = arg.string(name);
      const proc = requireProcess(sup.lookup(spec), spec);
      if (proc.pid === 0 || proc.state === 'STOPPING') throw new RpcFault('NOT_RUNNING', spec);
      if (!proc.writeStdin(Buffer.isBuffer(chars) ? chars : Buffer.from(chars, 'utf8'))) throw new RpcFault('NO_FILE', spec);
      return true;
    }),
  });

  registry.register({
    name: 'supervisor.sendRemoteCommEvent',
    signature: ['boolean', 'string', 'string'],
    help: 'Emit a REMOTE_COMMUNICATION event to the listeners that subscribe to it (allowed during shutdown).\n\n@param string type  The "type" header of the event\n@param string data  The event body\n@return boolean result  Always true unless error',
    handler: ([type, data]) => {
      sup.publish('REMOTE_COMMUNICATION', [['type', String(type)]], String(data));
      return true;
    },
  });
}

/** How Python's str() shows a non-string XML-RPC value, for fault details. */
function pyRepr(value: XmlRpcValue | undefined): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return String(value);
}
