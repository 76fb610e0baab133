/** tail, maintail, clear: log reads over XML-RPC, and `-f` over the /logtail HTTP stream. */
import { Faults } from '../../../node-agent/api/faults.js';
import type { ProcessStatus } from '../../../node-agent/api/types.js';
import { words, type Command, type CommandContext } from '../command.js';
import { Exit } from '../exit-status.js';
import { makeNamespec, splitNamespec } from '../namespec.js';
import { asFault, unknownResultCode } from '../py-errors.js';
import { pyRepr } from '../../py-format.js';

const DEFAULT_BYTES = 1600;

/** Streams `path` until the server ends it or Ctrl-C (which prints an empty line). */
export async function follow(ctx: CommandContext, path: string): Promise<void> {
  ctx.out.note('==> Press Ctrl-C to exit <==');
  const url = ctx.server.url;
  const decoder = new TextDecoder('utf-8');
  // loaded on demand: only the -f forms open a raw socket
  const { openLogtail } = await import('../logtail.js');
  const stream = openLogtail(
    { serverurl: url, path, ...ctx.server.auth },
    {
      onData: (data) => ctx.out.stream(decoder.decode(data, { stream: true })),
      onError: (message) => ctx.out.warn(`${url}${path} ${message}`),
    },
  );
  let interrupted = false;
  const release = ctx.io.onInterrupt(() => {
    interrupted = true;
    stream.close();
  });
  try {
    await stream.done;
  } finally {
    release();
  }
  if (interrupted) ctx.out.note('');
}

/** `-N` → N, `-f` → 'follow', anything else → undefined. */
function parseModifier(modifier: string): number | 'follow' | undefined {
  const what = modifier.slice(1);
  if (what === 'f') return 'follow';
  return /^\s*[+-]?\d+\s*$/.test(what) ? Number(what) : undefined;
}

function badArgument(ctx: CommandContext, text: string): void {
  ctx.out.fail(`Error: bad argument ${text}`);
  ctx.exitStatus = Exit.GENERIC;
}

function logReadError(ctx: CommandContext, err: unknown, name: string, extra: Record<string, string>): void {
  const code = asFault(err)?.faultCode;
  const reasons: Record<number, string> = {
    [Faults.NO_FILE]: 'no log file',
    [Faults.FAILED]: 'unknown error reading log',
  };
  if (name !== 'supervisord') reasons[Faults.BAD_NAME] = 'no such process name';
  ctx.exitStatus = Exit.GENERIC;
  const reason = code === undefined ? undefined : reasons[code];
  if (reason === undefined) throw err;
  ctx.out.row(`${name}: ERROR (${reason})`, { name, ...extra, ok: false, error: reason });
}

function tooManyOrFew(ctx: CommandContext, command: string, message: string): void {
  ctx.out.fail(message);
  ctx.exitStatus = Exit.GENERIC;
  ctx.showHelp(command);
}

export const tail: Command = {
  name: 'tail',
  listed: true,
  help: [
    'tail [-f] <name> [stdout|stderr] (default stdout)\n' +
      'Ex:\n' +
      'tail -f <name>\t\tContinuous tail of named process stdout\n' +
      '\t\t\tCtrl-C to exit.\n' +
      'tail -100 <name>\tlast 100 *bytes* of process stdout\n' +
      'tail <name> stderr\tlast 1600 *bytes* of process stderr',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const args = words(arg);
    if (args.length < 1) return tooManyOrFew(ctx, 'tail', 'Error: too few arguments');
    if (args.length > 3) return tooManyOrFew(ctx, 'tail', 'Error: too many arguments');
    const modifier = args[0].startsWith('-') ? args.shift() : undefined;
    let name: string;
    let channel = 'stdout';
    if (args.length === 1) name = args[0];
    else if (args.length > 1) {
      name = args[0];
      channel = args[args.length - 1].toLowerCase();
      if (channel !== 'stdout' && channel !== 'stderr') {
        ctx.out.fail(`Error: bad channel ${pyRepr(channel)}`);
        ctx.exitStatus = Exit.GENERIC;
        return;
      }
    } else {
      ctx.out.fail('Error: tail requires process name');
      ctx.exitStatus = Exit.GENERIC;
      return;
    }
    const bytes = modifier === undefined ? DEFAULT_BYTES : parseModifier(modifier);
    if (bytes === undefined) return badArgument(ctx, modifier!);
    if (bytes === 'follow') return follow(ctx, `/logtail/${name}/${channel}`);
    let data: string;
    try {
      data = await ctx.server.readProcessLog(name, channel as 'stdout' | 'stderr', -bytes, 0);
    } catch (err) {
      return logReadError(ctx, err, name, { channel });
    }
    ctx.out.result(data, { name, channel, data });
  },
};

export const maintail: Command = {
  name: 'maintail',
  listed: true,
  help: [
    'maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\n' +
      'maintail -100\tlast 100 *bytes* of supervisord main log file\n' +
      'maintail\tlast 1600 *bytes* of supervisor main log file\n',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const args = words(arg);
    if (args.length > 1) return tooManyOrFew(ctx, 'maintail', 'Error: too many arguments');
    let bytes = DEFAULT_BYTES;
    if (args.length === 1) {
      if (!args[0].startsWith('-')) return badArgument(ctx, args[0]);
      const parsed = parseModifier(args[0]);
      if (parsed === 'follow') return follow(ctx, '/mainlogtail');
      if (parsed === undefined) return badArgument(ctx, args[0]);
      bytes = parsed;
    }
    let data: string;
    try {
      data = await ctx.server.readLog(-bytes, 0);
    } catch (err) {
      return logReadError(ctx, err, 'supervisord', {});
    }
    ctx.out.result(data, { name: 'supervisord', data });
  },
};

function clearResult(ctx: CommandContext, result: ProcessStatus): void {
  const namespec = makeNamespec(result.group, result.name);
  const errors: Record<number, string> = { [Faults.BAD_NAME]: 'no such process', [Faults.FAILED]: 'failed' };
  const row = { name: namespec, group: result.group, process: result.name, status: result.status };
  if (result.status === Faults.SUCCESS) ctx.out.row(`${namespec}: cleared`, { ...row, ok: true, result: 'cleared' });
  else if (errors[result.status] !== undefined) {
    const error = errors[result.status];
    ctx.out.row(`${namespec}: ERROR (${error})`, { ...row, ok: false, error, description: result.description });
  } else throw unknownResultCode(result.status, namespec, 1260);
  ctx.applyFault(result.status);
}

export const clear: Command = {
  name: 'clear',
  listed: true,
  help: [
    "clear <name>\t\tClear a process' log files.",
    "clear <name> <name>\tClear multiple process' log files",
    "clear all\t\tClear all process' log files",
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const names = words(arg);
    if (names.length === 0) return tooManyOrFew(ctx, 'clear', 'Error: clear requires a process name');
    if (names.includes('all')) {
      for (const result of await ctx.server.clearAllProcessLogs()) clearResult(ctx, result);
      return;
    }
    for (const name of names) {
      const { group, process } = splitNamespec(name);
      let outcome: ProcessStatus = { name: process ?? 'None', group, status: Faults.SUCCESS, description: 'OK' };
      try {
        await ctx.server.clearProcessLogs(name);
      } catch (err) {
        const fault = asFault(err);
        if (!fault) throw err;
        outcome = { ...outcome, status: fault.faultCode, description: fault.faultString };
      }
      clearResult(ctx, outcome);
    }
  },
};
