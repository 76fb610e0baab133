/** reload, shutdown, version, open: the daemon itself and which daemon to talk to. */
import { Faults } from '../../../node-agent/api/faults.js';
import type { Command, CommandContext } from '../command.js';
import { Exit } from '../exit-status.js';
import { asFault, eofWhileAsking, socketErrno } from '../py-errors.js';
import { rejectArguments } from './config.js';

/** In interactive use, asks `question`; true when the answer starts with y. */
async function confirmed(ctx: CommandContext, question: string, lineNo: number): Promise<boolean> {
  if (!ctx.interactive) return true;
  const answer = await ctx.io.ask(question);
  if (answer === undefined) throw eofWhileAsking(lineNo);
  return answer.toLowerCase().startsWith('y');
}

export const shutdown: Command = {
  name: 'shutdown',
  listed: true,
  help: ['shutdown \tShut the remote supervisord down.'],
  async run(ctx, arg) {
    if (rejectArguments(ctx, 'shutdown', arg)) return;
    if (!(await confirmed(ctx, 'Really shut the remote supervisord process down y/N? ', 987))) return;
    try {
      await ctx.server.shutdown();
    } catch (err) {
      const fault = asFault(err);
      if (fault?.faultCode === Faults.SHUTDOWN_STATE) {
        // already on its way down: what the caller wanted, so no error status
        ctx.out.result('ERROR: already shutting down', { ok: true, result: 'already shutting down' });
        return;
      }
      ctx.exitStatus = Exit.GENERIC;
      const errno = fault ? undefined : socketErrno(err);
      if (errno === 'ECONNREFUSED') ctx.out.fail(`ERROR: ${ctx.server.url} refused connection (already shut down?)`);
      else if (errno === 'ENOENT') ctx.out.fail(`ERROR: ${ctx.server.url} no such file (already shut down?)`);
      else throw err;
      return;
    }
    ctx.out.result('Shut down', { ok: true, result: 'shut down' });
  },
};

export const reload: Command = {
  name: 'reload',
  listed: true,
  help: ['reload \t\tRestart the remote supervisord.'],
  async run(ctx, arg) {
    if (rejectArguments(ctx, 'reload', arg)) return;
    if (!(await confirmed(ctx, 'Really restart the remote supervisord process y/N? ', 1027))) return;
    try {
      await ctx.server.restart();
    } catch (err) {
      ctx.exitStatus = Exit.GENERIC;
      if (asFault(err)?.faultCode !== Faults.SHUTDOWN_STATE) throw err;
      ctx.out.fail('ERROR: already shutting down');
      return;
    }
    ctx.out.result('Restarted supervisord', { ok: true, result: 'restarted' });
  },
};

export const version: Command = {
  name: 'version',
  listed: true,
  help: ['version\t\t\tShow the version of the remote supervisord process'],
  async run(ctx, arg) {
    if (rejectArguments(ctx, 'version', arg)) return;
    if (!(await ctx.upcheck())) return;
    const value = await ctx.server.getSupervisorVersion();
    ctx.out.result(value, { version: value });
  },
};

export const open: Command = {
  name: 'open',
  listed: true,
  help: ['open <url>\tConnect to a remote supervisord process.', '\t\t(for UNIX domain socket, use unix:///socket/path)'],
  async run(ctx, arg) {
    const url = arg.trim();
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1].toLowerCase();
    if (scheme !== 'unix' && scheme !== 'http') {
      ctx.out.fail('ERROR: url must be http:// or unix://');
      ctx.exitStatus = Exit.GENERIC;
      return;
    }
    ctx.server.retarget(url);
    const before = ctx.exitStatus;
    await ctx.run('status', '');
    ctx.exitStatus = before;
  },
};
