/**
 * `update` on one host, as supervisorctl does it: reloadConfig (reread),
 * then for each group asked for: removed → stop + remove (unless a process
 * failed to stop), changed → stop + remove + add, added → add. Group globs
 * that match no current or new group are reported, like supervisorctl's
 * `ERROR: no such group`, and fail the target after the rest is applied.
 */
import type { ProcessInfo, ProcessStatus, XmlRpcValue } from '../../node-agent/api/types.js';
import { Faults } from '../../node-agent/api/faults.js';
import { describeFailure, type AgentCalls } from './agent-calls.js';
import { TargetFailure, type ActionOutcome } from './actions.js';
import { compileGlob } from './glob.js';
import type { HostTarget } from './types.js';

export async function runUpdate(target: HostTarget, calls: AgentCalls): Promise<ActionOutcome> {
  const { agent } = target;
  const step = async <T = XmlRpcValue>(method: string, params: XmlRpcValue[] = [], timeoutMs?: number): Promise<T> => {
    try {
      return await calls.call<T>(agent, method, params, timeoutMs);
    } catch (err) {
      throw new TargetFailure(`${method}${params.length > 0 ? ` ${String(params[0])}` : ''}: ${describeFailure(err)}${done.length > 0 ? ` (after: ${done.join('; ')})` : ''}`);
    }
  };
  const done: string[] = [];
  const [[added, changed, removed]] = await step<[string[], string[], string[]][]>('supervisor.reloadConfig');

  const globs = target.groups.map((glob) => ({ glob, regexp: compileGlob(glob) as RegExp }));
  const wanted = (group: string): boolean => globs.length === 0 || globs.some(({ regexp }) => regexp.test(group));
  const missing: string[] = [];
  if (globs.length > 0) {
    const current = (await step<ProcessInfo[]>('supervisor.getAllProcessInfo')).map((info) => info.group);
    const known = [...current, ...added];
    for (const { glob, regexp } of globs) if (!known.some((group) => regexp.test(group))) missing.push(glob);
  }

  const stopTimeoutMs = await calls.groupStopTimeoutMs(agent);
  for (const group of removed.filter(wanted)) {
    const results = await step<ProcessStatus[]>('supervisor.stopProcessGroup', [group, true], stopTimeoutMs);
    if (results.some((result) => result.status === Faults.FAILED)) {
      done.push(`${group}: has problems; not removing`);
      continue;
    }
    await step('supervisor.removeProcessGroup', [group]);
    done.push(`${group}: removed process group`);
  }
  for (const group of changed.filter(wanted)) {
    await step('supervisor.stopProcessGroup', [group, true], stopTimeoutMs);
    await step('supervisor.removeProcessGroup', [group]);
    await step('supervisor.addProcessGroup', [group]);
    done.push(`${group}: updated process group`);
  }
  for (const group of added.filter(wanted)) {
    await step('supervisor.addProcessGroup', [group]);
    done.push(`${group}: added process group`);
  }

  const summary = done.length > 0 ? done.join('; ') : 'No config updates to processes';
  if (missing.length > 0) throw new TargetFailure(`no such group: ${missing.join(', ')} (${summary})`);
  return { message: summary, started: false, wasRunning: false };
}
