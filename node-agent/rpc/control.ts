import { RpcFault } from '../api/faults.js';
import { RUNNING_STATES, SIGNALLABLE_STATES, STOPPED_STATES } from '../api/states.js';
import type { XmlRpcValue } from '../api/types.js';
import { signalNumber } from '../process/index.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Subprocess } from '../process/types.js';
import { arg, type MethodRegistry } from './registry.js';
import { forEachProcess, type Outcome } from './results.js';
import { guard, requireProcess } from './guard.js';

/** supervisor.start*, stop*, signal*: process control (compat spec §3.5). */
export function registerControlMethods(registry: MethodRegistry, sup: Supervisor): void {
  const isRunning = (p: Subprocess) => RUNNING_STATES.has(p.state);

  function startProcess(spec: string, wait: boolean): Outcome | Promise<XmlRpcValue> {
    const found = sup.lookup(spec);
    if (found.group && found.wholeGroup) return startGroup(found.group.name, wait);
    const proc = requireProcess(found, spec);
    const problem = proc.checkCommand();
    if (problem) throw new RpcFault(problem.fault, problem.message);
    if (RUNNING_STATES.has(proc.state)) throw new RpcFault('ALREADY_STARTED', spec);
    if (proc.state === 'UNKNOWN') throw new RpcFault('FAILED', `${spec} is in an unknown process state`);
    proc.spawn();
    if (proc.spawnerr) throw new RpcFault('SPAWN_ERROR', spec);
    if (!wait || proc.state === 'RUNNING') return true;
    return proc.waitFor((s) => s !== 'STARTING').then(() => {
      if (proc.spawnerr) throw new RpcFault('SPAWN_ERROR', spec);
      if (proc.state !== 'RUNNING') throw new RpcFault('ABNORMAL_TERMINATION', spec);
      return true;
    });
  }

  function startGroup(name: string, wait: boolean): Promise<XmlRpcValue> {
    const group = sup.groups.get(name);
    if (!group) throw new RpcFault('BAD_NAME', name);
    const targets = group.byPriority().map((p): [typeof group, Subprocess] => [group, p]);
    return forEachProcess(targets, (p) => !isRunning(p), (ns) => startProcess(ns, wait) as Outcome) as Promise<XmlRpcValue>;
  }

  function stopProcess(spec: string, wait: boolean): Outcome | Promise<XmlRpcValue> {
    const found = sup.lookup(spec);
    if (found.group && found.wholeGroup) return stopGroup(found.group.name, wait);
    const proc = requireProcess(found, spec);
    if (!RUNNING_STATES.has(proc.state)) throw new RpcFault('NOT_RUNNING', spec);
    const failure = proc.stop();
    if (failure !== undefined) throw new RpcFault('FAILED', failure);
    if (!wait || STOPPED_STATES.has(proc.state)) return true;
    const report = setInterval(() => proc.stopReport(), 1000);
    return proc.waitFor((s) => STOPPED_STATES.has(s)).then(() => {
      clearInterval(report);
      return true;
    });
  }

  function stopGroup(name: string, wait: boolean): Promise<XmlRpcValue> {
    const group = sup.groups.get(name);
    if (!group) throw new RpcFault('BAD_NAME', name);
    const targets = group.byPriority().map((p): [typeof group, Subprocess] => [group, p]);
    return forEachProcess(targets, isRunning, (ns) => stopProcess(ns, wait) as Outcome) as Promise<XmlRpcValue>;
  }

  function signalProcess(spec: string, signal: XmlRpcValue): Outcome | Promise<XmlRpcValue> {
    const found = sup.lookup(spec);
    if (found.group && found.wholeGroup) return signalGroup(found.group.name, signal);
    const proc = requireProcess(found, spec);
    const signo = toSignal(signal);
    if (!SIGNALLABLE_STATES.has(proc.state)) throw new RpcFault('NOT_RUNNING', spec);
    const failure = proc.signal(signo);
    if (failure !== undefined) throw new RpcFault('FAILED', failure);
    return true;
  }

  function signalGroup(name: string, signal: XmlRpcValue): Promise<XmlRpcValue> {
    const group = sup.groups.get(name);
    if (!group) throw new RpcFault('BAD_NAME', name);
    const targets = group.byPriority().map((p): [typeof group, Subprocess] => [group, p]);
    return forEachProcess(targets, (p) => SIGNALLABLE_STATES.has(p.state), (ns) => signalProcess(ns, signal) as Outcome) as Promise<XmlRpcValue>;
  }

  const method = guard(sup);
  registry.register({
    name: 'supervisor.startProcess',
    signature: ['boolean', 'string', 'boolean'],
    optional: 1,
    help: 'Start a process.\n\n@param string name  Process name (or group:name, or group:*)\n@param boolean wait  Wait until the process is RUNNING\n@return boolean result  Always true unless error',
    handler: method(([name, wait]) => startProcess(arg.string(name), arg.flag(wait, true))),
  });
  registry.register({
    name: 'supervisor.startProcessGroup',
    signature: ['array', 'string', 'boolean'],
    optional: 1,
    help: 'Start every process of a group that is not already running.\n\n@param string name  The group name\n@param boolean wait  Wait until each process is RUNNING\n@return array result  One status struct per process acted on',
    handler: method(([name, wait]) => startGroup(arg.string(name), arg.flag(wait, true))),
  });
  registry.register({
    name: 'supervisor.startAllProcesses',
    signature: ['array', 'boolean'],
    optional: 1,
    help: 'Start every configured process that is not already running.\n\n@param boolean wait  Wait until each process is RUNNING\n@return array result  One status struct per process acted on',
    handler: method(([wait]) => {
      const w = arg.flag(wait, true);
      return forEachProcess(sup.allByPriority(), (p) => !isRunning(p), (ns) => startProcess(ns, w) as Outcome) as Promise<XmlRpcValue>;
    }),
  });
  registry.register({
    name: 'supervisor.stopProcess',
    signature: ['boolean', 'string', 'boolean'],
    optional: 1,
    help: 'Stop a process.\n\n@param string name  Process name (or group:name, or group:*)\n@param boolean wait  Wait until the process has stopped\n@return boolean result  Always true unless error',
    handler: method(([name, wait]) => stopProcess(arg.string(name), arg.flag(wait, true))),
  });
  registry.register({
    name: 'supervisor.stopProcessGroup',
    signature: ['array', 'string', 'boolean'],
    optional: 1,
    help: 'Stop every running process of a group.\n\n@param string name  The group name\n@param boolean wait  Wait until each process has stopped\n@return array result  One status struct per process acted on',
    handler: method(([name, wait]) => stopGroup(arg.string(name), arg.flag(wait, true))),
  });
  registry.register({
    name: 'supervisor.stopAllProcesses',
    signature: ['array', 'boolean'],
    optional: 1,
    help: 'Stop every running process.\n\n@param boolean wait  Wait until each process has stopped\n@return array result  One status struct per process acted on',
    handler: method(([wait]) => {
      const w = arg.flag(wait, true);
      return forEachProcess(sup.allByPriority(), isRunning, (ns) => stopProcess(ns, w) as Outcome) as Promise<XmlRpcValue>;
    }),
  });
  registry.register({
    name: 'supervisor.signalProcess',
    signature: ['boolean', 'string', 'string'],
    help: 'Send a signal to a process.\n\n@param string name  Process name (or group:name, or group:*)\n@param string signal  Signal name (HUP) or number (1)\n@return boolean result  Always true unless error',
    handler: method(([name, signal]) => signalProcess(arg.string(name), signal)),
  });
  registry.register({
    name: 'supervisor.signalProcessGroup',
    signature: ['array', 'string', 'string'],
    help: 'Send a signal to every process of a group that can receive one.\n\n@param string name  The group name\n@param string signal  Signal name or number\n@return array result  One status struct per process acted on',
    handler: method(([name, signal]) => signalGroup(arg.string(name), signal)),
  });
  registry.register({
    name: 'supervisor.signalAllProcesses',
    signature: ['array', 'string'],
    help: 'Send a signal to every process that can receive one.\n\n@param string signal  Signal name or number\n@return array result  One status struct per process acted on',
    handler: method(([signal]) =>
      forEachProcess(sup.allByPriority(), (p) => SIGNALLABLE_STATES.has(p.state), (ns) => signalProcess(ns, signal) as Outcome) as Promise<XmlRpcValue>,
    ),
  });
}

function toSignal(value: XmlRpcValue): number {
  const signo = typeof value === 'string' || typeof value === 'number' ? signalNumber(value) : undefined;
  if (signo === undefined) throw new RpcFault('BAD_SIGNAL', String(value));
  return signo;
}
