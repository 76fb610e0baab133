/**
 * fg: shows a running process's stdout and stderr as they come and sends
 * each typed line to its stdin, until Ctrl-C, end of input or the process
 * stops.
 */
import { Faults } from '../../../node-agent/api/faults.js';
import { ProcessState } from '../../../node-agent/api/states.js';
import type { ProcessInfo } from '../../../node-agent/api/types.js';
import { words, type Command, type CommandContext } from '../command.js';
import { Exit } from '../exit-status.js';
import type { LogtailStream } from '../logtail.js';
import { asFault, faultRepr } from '../py-errors.js';

async function streamBoth(ctx: CommandContext, name: string): Promise<LogtailStream[]> {
  const { openLogtail } = await import('../logtail.js');
  const url = ctx.server.url;
  return (['stdout', 'stderr'] as const).map((channel) => {
    const path = `/logtail/${name}/${channel}`;
    const decoder = new TextDecoder('utf-8');
    return openLogtail(
      { serverurl: url, path, ...ctx.server.auth },
      {
        onData: (data) => ctx.out.stream(decoder.decode(data, { stream: true })),
        onError: (message) => ctx.out.warn(`${url}${path} ${message}`),
      },
    );
  });
}

/** Forwards typed lines until something ends the session; returns the closing message lines. */
async function forwardInput(ctx: CommandContext, name: string, interrupted: AbortSignal): Promise<string[]> {
  for (;;) {
    const line = await ctx.io.ask('', { signal: interrupted });
    if (line === undefined) return ['Exiting foreground'];
    try {
      await ctx.server.sendProcessStdin(name, `${line}\n`);
    } catch (err) {
      const fault = asFault(err);
      if (!fault) throw err;
      const reason = fault.faultCode === Faults.NOT_RUNNING ? 'Process got killed' : `ERROR: ${faultRepr(fault)}`;
      return [reason, 'Exiting foreground'];
    }
    const info = await ctx.server.getProcessInfo(name);
    if (info.state !== ProcessState.RUNNING) return ['Process got killed', 'Exiting foreground'];
  }
}

export const fg: Command = {
  name: 'fg',
  listed: true,
  help: ['fg <process>\tConnect to a process in foreground mode', '\t\tCtrl-C to exit'],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const names = words(arg);
    if (names.length !== 1) {
      ctx.out.fail(names.length === 0 ? 'ERROR: no process name supplied' : 'ERROR: too many process names supplied');
      ctx.exitStatus = Exit.GENERIC;
      if (names.length === 0) ctx.showHelp('fg');
      return;
    }
    const name = names[0];
    let info: ProcessInfo;
    try {
      info = await ctx.server.getProcessInfo(name);
    } catch (err) {
      const fault = asFault(err);
      if (!fault) throw err;
      if (fault.faultCode === Faults.BAD_NAME) {
        ctx.out.fail('ERROR: bad process name supplied');
        ctx.exitStatus = Exit.GENERIC;
      } else ctx.out.fail(`ERROR: ${faultRepr(fault)}`);
      return;
    }
    if (info.state !== ProcessState.RUNNING) {
      ctx.out.fail('ERROR: process not running');
      ctx.exitStatus = Exit.GENERIC;
      return;
    }
    ctx.out.note('==> Press Ctrl-C to exit <==');
    const streams = await streamBoth(ctx, name);
    const interrupt = new AbortController();
    const release = ctx.io.onInterrupt(() => interrupt.abort());
    try {
      for (const text of await forwardInput(ctx, name, interrupt.signal)) ctx.out.note(text);
    } finally {
      release();
      for (const stream of streams) stream.close();
    }
  },
};
