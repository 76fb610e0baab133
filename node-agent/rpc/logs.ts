import { RpcFault } from '../api/faults.js';
import type { XmlRpcValue } from '../api/types.js';
import type { ChildLog } from '../logs/types.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { guard, requireProcess } from './guard.js';
import { arg, type MethodRegistry } from './registry.js';
import { forEachProcess } from './results.js';

/** The daemon's main log as the RPC layer needs it. */
export interface MainLogAccess {
  /** undefined when the daemon logs to syslog or nowhere. */
  readonly path?: string;
  read(offset: number, length: number): string;
  clear(): void;
}

type Channel = 'stdout' | 'stderr';

/** supervisor.read*, tail*, clear* (compat spec §3.5, §7.3). */
export function registerLogMethods(registry: MethodRegistry, sup: Supervisor, mainLog: MainLogAccess): void {
  const method = guard(sup);

  const logOf = (name: XmlRpcValue, channel: Channel): ChildLog | undefined => {
    const spec = arg.string(name);
    return sup.logsOf(requireProcess(sup.lookup(spec), spec))[channel];
  };

  const readMain = method(([offset, length]) => {
    if (!mainLog.path) throw new RpcFault('NO_FILE');
    return mainLog.read(arg.int(offset), arg.int(length));
  });
  const readMainHelp = 'Read length bytes of the main log from offset (negative offset with length 0: the last bytes).\n\n@param int offset  Where to start\n@param int length  How many bytes (0: to the end)\n@return string result  The bytes read';
  registry.register({ name: 'supervisor.readLog', signature: ['string', 'int', 'int'], help: readMainHelp, handler: readMain });
  registry.register({ name: 'supervisor.readMainLog', signature: ['string', 'int', 'int'], help: readMainHelp, handler: readMain });

  registry.register({
    name: 'supervisor.clearLog',
    signature: ['boolean'],
    help: 'Delete and reopen the main log.\n\n@return boolean result  Always true unless error',
    handler: method(() => {
      if (!mainLog.path) throw new RpcFault('NO_FILE');
      mainLog.clear();
      return true;
    }),
  });

  for (const channel of ['stdout', 'stderr'] as const) {
    const Ch = channel === 'stdout' ? 'Stdout' : 'Stderr';
    registry.register({
      name: `supervisor.readProcess${Ch}Log`,
      signature: ['string', 'string', 'int', 'int'],
      help: `Read length bytes of a process's ${channel} log from offset.\n\n@param string name  Process name (or group:name)\n@param int offset  Where to start\n@param int length  How many bytes (0: to the end)\n@return string result  The bytes read`,
      handler: method(([name, offset, length]) => {
        const log = logOf(name, channel);
        if (!log) throw new RpcFault('NO_FILE');
        return log.read(arg.int(offset), arg.int(length));
      }),
    });
    registry.register({
      name: `supervisor.tailProcess${Ch}Log`,
      signature: ['array', 'string', 'int', 'int'],
      help: `Read the end of a process's ${channel} log: up to length bytes from offset, moved to the end when more was written (overflow).\n\n@param string name  Process name (or group:name)\n@param int offset  Where to start\n@param int length  Most bytes to return\n@return array result  [string bytes, int offset, bool overflow]`,
      handler: method(([name, offset, length]) => {
        const log = logOf(name, channel);
        if (!log) return ['', 0, false];
        return log.tail(arg.int(offset), arg.int(length));
      }),
    });
  }
  registry.alias('supervisor.readProcessLog', 'supervisor.readProcessStdoutLog');
  registry.alias('supervisor.tailProcessLog', 'supervisor.tailProcessStdoutLog');

  const clearProcess = (spec: string): true => {
    const proc = requireProcess(sup.lookup(spec), spec);
    // Like supervisord, only a process with live pipes gets its logs cleared.
    if (proc.pid === 0) return true;
    try {
      const logs = sup.logsOf(proc);
      logs.stdout?.clear();
      logs.stderr?.clear();
    } catch {
      throw new RpcFault('FAILED', spec);
    }
    return true;
  };
  registry.register({
    name: 'supervisor.clearProcessLogs',
    signature: ['boolean', 'string'],
    help: "Delete and reopen a process's stdout and stderr logs.\n\n@param string name  Process name (or group:name)\n@return boolean result  Always true unless error",
    handler: method(([name]) => clearProcess(arg.string(name))),
  });
  registry.alias('supervisor.clearProcessLog', 'supervisor.clearProcessLogs');
  registry.register({
    name: 'supervisor.clearAllProcessLogs',
    signature: ['array'],
    help: 'Clear the logs of every process.\n\n@return array result  One status struct per process',
    handler: method(() => forEachProcess(sup.allByPriority(), () => true, clearProcess) as Promise<XmlRpcValue>),
  });
}
