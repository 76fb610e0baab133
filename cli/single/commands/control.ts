/** start, stop, restart, signal: per-name calls, or the group/all methods for `g:*` and `all`. */
import { Faults } from '../../../node-agent/api/faults.js';
import type { ProcessStatus } from '../../../node-agent/api/types.js';
import type { JsonObject } from '../../output.js';
import { words, type Command, type CommandContext } from '../command.js';
import { Exit } from '../exit-status.js';
import { makeNamespec, splitNamespec } from '../namespec.js';
import { asFault, unknownResultCode } from '../py-errors.js';

const START_ERRORS = new Map<number, string>([
  [Faults.BAD_NAME, 'no such process'],
  [Faults.NO_FILE, 'no such file'],
  [Faults.NOT_EXECUTABLE, 'file is not executable'],
  [Faults.ALREADY_STARTED, 'already started'],
  [Faults.SPAWN_ERROR, 'spawn error'],
  [Faults.ABNORMAL_TERMINATION, 'abnormal termination'],
]);

const SIGNAL_ERRORS = new Map<number, string>([
  [Faults.BAD_NAME, 'no such process'],
  [Faults.BAD_SIGNAL, 'bad signal name'],
  [Faults.NOT_RUNNING, 'not running'],
]);

/** A per-process outcome: a group method's result entry, or a single call's success or fault. */
type Outcome = ProcessStatus;

function reportOutcome(ctx: CommandContext, outcome: Outcome, success: string, errors: Map<number, string>, tolerated?: number): void {
  const namespec = makeNamespec(outcome.group, outcome.name);
  const row: JsonObject = { name: namespec, group: outcome.group, process: outcome.name, status: outcome.status };
  let text: string;
  if (outcome.status === Faults.SUCCESS) {
    text = `${namespec}: ${success}`;
    Object.assign(row, { ok: true, result: success });
  } else if (errors.has(outcome.status)) {
    text = `${namespec}: ERROR (${errors.get(outcome.status)})`;
    Object.assign(row, { ok: false, error: errors.get(outcome.status)!, description: outcome.description });
  } else if (outcome.status === Faults.FAILED && errors !== START_ERRORS) {
    // supervisorctl prints a FAILED fault's text as it came
    text = outcome.description;
    Object.assign(row, { ok: false, error: outcome.description, description: outcome.description });
  } else {
    throw unknownResultCode(outcome.status, namespec, errors === START_ERRORS ? 761 : 835);
  }
  ctx.out.row(text, row);
  ctx.applyFault(outcome.status, tolerated);
}

function faultOutcome(err: unknown, group: string, process: string | undefined): Outcome {
  const fault = asFault(err);
  if (!fault) throw err;
  return { name: process ?? 'None', group, status: fault.faultCode, description: fault.faultString };
}

interface Action {
  success: string;
  errors: Map<number, string>;
  tolerated?: number;
  /** Exit status when `g:*` names no group. */
  badGroupExit: number;
  all(ctx: CommandContext): Promise<ProcessStatus[]>;
  group(ctx: CommandContext, group: string): Promise<ProcessStatus[]>;
  one(ctx: CommandContext, name: string): Promise<unknown>;
}

async function runAction(ctx: CommandContext, action: Action, names: string[]): Promise<void> {
  const report = (o: Outcome): void => reportOutcome(ctx, o, action.success, action.errors, action.tolerated);
  if (names.includes('all')) {
    for (const result of await action.all(ctx)) report(result);
    return;
  }
  for (const name of names) {
    const { group, process } = splitNamespec(name);
    if (process === undefined) {
      let results: ProcessStatus[];
      try {
        results = await action.group(ctx, group);
      } catch (err) {
        if (asFault(err)?.faultCode !== Faults.BAD_NAME) throw err;
        ctx.out.row(`${group}: ERROR (no such group)`, { name: group, group, ok: false, error: 'no such group' });
        ctx.exitStatus = action.badGroupExit;
        continue;
      }
      for (const result of results) report(result);
      continue;
    }
    let outcome: Outcome;
    try {
      await action.one(ctx, name);
      outcome = { name: process, group, status: Faults.SUCCESS, description: 'OK' };
    } catch (err) {
      outcome = faultOutcome(err, group, process);
    }
    report(outcome);
  }
}

const START: Action = {
  success: 'started',
  errors: START_ERRORS,
  tolerated: Faults.ALREADY_STARTED,
  badGroupExit: Exit.INVALID_ARGS,
  all: (ctx) => ctx.server.startAllProcesses(),
  group: (ctx, g) => ctx.server.startProcessGroup(g),
  one: (ctx, n) => ctx.server.startProcess(n),
};

const STOP: Action = {
  success: 'stopped',
  errors: SIGNAL_ERRORS,
  tolerated: Faults.NOT_RUNNING,
  badGroupExit: Exit.GENERIC,
  all: (ctx) => ctx.server.stopAllProcesses(),
  group: (ctx, g) => ctx.server.stopProcessGroup(g),
  one: (ctx, n) => ctx.server.stopProcess(n),
};

function signalAction(sig: string): Action {
  return {
    success: 'signalled',
    errors: SIGNAL_ERRORS,
    badGroupExit: Exit.GENERIC,
    all: (ctx) => ctx.server.signalAllProcesses(sig),
    group: (ctx, g) => ctx.server.signalProcessGroup(g, sig),
    one: (ctx, n) => ctx.server.signalProcess(n, sig),
  };
}

function usageError(ctx: CommandContext, command: string, message: string, status: number): void {
  ctx.out.fail(message);
  ctx.exitStatus = status;
  ctx.showHelp(command);
}

export const start: Command = {
  name: 'start',
  listed: true,
  help: [
    'start <name>\t\tStart a process',
    'start <gname>:*\t\tStart all processes in a group',
    'start <name> <name>\tStart multiple processes or groups',
    'start all\t\tStart all processes',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const names = words(arg);
    if (names.length === 0) return usageError(ctx, 'start', 'Error: start requires a process name', Exit.INVALID_ARGS);
    await runAction(ctx, START, names);
  },
};

export const stop: Command = {
  name: 'stop',
  listed: true,
  help: [
    'stop <name>\t\tStop a process',
    'stop <gname>:*\t\tStop all processes in a group',
    'stop <name> <name>\tStop multiple processes or groups',
    'stop all\t\tStop all processes',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const names = words(arg);
    if (names.length === 0) return usageError(ctx, 'stop', 'Error: stop requires a process name', Exit.GENERIC);
    await runAction(ctx, STOP, names);
  },
};

export const restart: Command = {
  name: 'restart',
  listed: true,
  help: [
    'restart <name>\t\tRestart a process',
    'restart <gname>:*\tRestart all processes in a group',
    'restart <name> <name>\tRestart multiple processes or groups',
    'restart all\t\tRestart all processes',
    'Note: restart does not reread config files. For that, see reread and update.',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    if (words(arg).length === 0) return usageError(ctx, 'restart', 'Error: restart requires a process name', Exit.GENERIC);
    await ctx.run('stop', arg);
    await ctx.run('start', arg);
  },
};

export const signal: Command = {
  name: 'signal',
  listed: true,
  help: [
    'signal <signal name> <name>\t\tSignal a process',
    'signal <signal name> <gname>:*\t\tSignal all processes in a group',
    'signal <signal name> <name> <name>\tSignal multiple processes or groups',
    'signal <signal name> all\t\tSignal all processes',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const args = words(arg);
    if (args.length < 2) {
      return usageError(ctx, 'signal', 'Error: signal requires a signal name and a process name', Exit.GENERIC);
    }
    await runAction(ctx, signalAction(args[0]), args.slice(1));
  },
};
