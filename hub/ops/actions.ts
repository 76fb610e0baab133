/**
 * One action on one process, the way supervisorctl does it: start and stop
 * wait for the agent (start returns once the process stayed up startsecs),
 * restart = stop (not running is fine) then start, signal, clear logs.
 * A failure is thrown as TargetFailure with the one-line reason.
 */
import type { ProcessInfo } from '../../node-agent/api/types.js';
import { describeFailure, isFault, type AgentCalls } from './agent-calls.js';
import type { OpAction, ProcessTarget } from './types.js';

export class TargetFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetFailure';
  }
}

export interface ActionOutcome {
  message: string;
  /** The action (re)started the process: the runner may now watch it stay RUNNING. */
  started: boolean;
  /** It was running before and the action left it alone (start: already started). */
  wasRunning: boolean;
}

export type ProcessAction = Exclude<OpAction, 'update'>;

export async function runProcessAction(action: ProcessAction, target: ProcessTarget, calls: AgentCalls, signal?: string): Promise<ActionOutcome> {
  switch (action) {
    case 'start':
      return start(target, calls);
    case 'stop':
      return { message: await stop(target, calls), started: false, wasRunning: false };
    case 'restart': {
      const stopped = await stop(target, calls);
      const started = await start(target, calls);
      return { ...started, message: stopped === 'not running' ? 'started (was not running)' : 'restarted' };
    }
    case 'signal':
      await attempt(target, calls, 'supervisor.signalProcess', [target.namespec, signal ?? '']);
      return { message: 'signalled', started: false, wasRunning: false };
    case 'clear':
      await attempt(target, calls, 'supervisor.clearProcessLogs', [target.namespec]);
      return { message: 'cleared', started: false, wasRunning: false };
  }
}

async function start(target: ProcessTarget, calls: AgentCalls): Promise<ActionOutcome> {
  const timeoutMs = await calls.startTimeoutMs(target.agent, target.namespec);
  try {
    await calls.call(target.agent, 'supervisor.startProcess', [target.namespec, true], timeoutMs);
    return { message: 'started', started: true, wasRunning: false };
  } catch (err) {
    if (isFault(err, 'ALREADY_STARTED')) return { message: 'already started', started: false, wasRunning: true };
    if (isFault(err, 'SPAWN_ERROR') || isFault(err, 'ABNORMAL_TERMINATION')) {
      throw new TargetFailure(`${describeFailure(err)}${await spawnError(target, calls)}`);
    }
    throw new TargetFailure(describeFailure(err));
  }
}

/** 'stopped', or 'not running' when there was nothing to stop. */
async function stop(target: ProcessTarget, calls: AgentCalls): Promise<string> {
  const timeoutMs = await calls.stopTimeoutMs(target.agent, target.namespec);
  try {
    await calls.call(target.agent, 'supervisor.stopProcess', [target.namespec, true], timeoutMs);
    return 'stopped';
  } catch (err) {
    if (isFault(err, 'NOT_RUNNING')) return 'not running';
    throw new TargetFailure(describeFailure(err));
  }
}

async function attempt(target: ProcessTarget, calls: AgentCalls, method: string, params: string[]): Promise<void> {
  try {
    await calls.call(target.agent, method, params);
  } catch (err) {
    throw new TargetFailure(describeFailure(err));
  }
}

/** `: <spawnerr>` as the agent now tells it (e.g. `Exited too quickly …`), or nothing. */
async function spawnError(target: ProcessTarget, calls: AgentCalls): Promise<string> {
  try {
    const info = await calls.call<ProcessInfo>(target.agent, 'supervisor.getProcessInfo', [target.namespec]);
    return typeof info.spawnerr === 'string' && info.spawnerr !== '' ? `: ${info.spawnerr}` : '';
  } catch {
    return '';
  }
}
