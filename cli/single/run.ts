/**
 * fleetvisorctl against one supervisord-compatible server: run the command
 * given on the command line and return its exit status, or run the shell.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { Output, type OutputSink } from '../output.js';
import { singleCommands } from './commands/index.js';
import { Controller } from './controller.js';
import { resolveSingleOptions, singleHelpText, type SingleOptions } from './options.js';
import { SupervisorServer } from './server.js';
import { Terminal } from './terminal.js';

export interface RunContext {
  argv: readonly string[];
  /** Shown in usage messages, like supervisorctl's sys.argv[0]. */
  progname: string;
  /** Where the config search starts from (see node-agent/config/locate.ts). */
  argv0: string;
  cwd: string;
  sink: OutputSink;
}

function makeController(options: SingleOptions, sink: OutputSink, terminal: Terminal): Controller {
  const server = new SupervisorServer(options.serverurl, { username: options.username, password: options.password });
  return new Controller({
    server,
    out: new Output(sink, options.json),
    io: terminal,
    interactive: options.interactive,
    commands: singleCommands(),
  });
}

/** Resolves with the process exit status. */
export async function runSingle(ctx: RunContext): Promise<number> {
  let options: SingleOptions;
  try {
    const outcome = resolveSingleOptions(ctx.argv, { argv0: ctx.argv0, cwd: ctx.cwd });
    if (outcome.kind === 'help') {
      ctx.sink.stdout(`${singleHelpText(ctx.progname)}\n`);
      return 0;
    }
    options = outcome.options;
  } catch (err) {
    if (!(err instanceof FleetvisorError)) throw err;
    ctx.sink.stderr(`Error: ${err.message}\nFor help, use ${ctx.progname} -h\n`);
    return 2;
  }

  if (options.command.length > 0) {
    const terminal = new Terminal();
    const controller = makeController(options, ctx.sink, terminal);
    try {
      await controller.onecmd(options.command.join(' '));
    } finally {
      controller.server.close();
      terminal.close();
    }
    return controller.exitStatus;
  }
  let server: SupervisorServer | undefined;
  const { runShell } = await import('./shell.js');
  await runShell(
    (terminal) => {
      const controller = makeController(options, ctx.sink, terminal);
      server = controller.server;
      return controller;
    },
    { prompt: options.prompt, historyFile: options.historyFile },
  );
  server?.close();
  return 0;
}
