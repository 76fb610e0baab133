/**
 * fleetvisorctl's fleet mode: commands against a fleetvisor-hub (see
 * docs/cli.md, "Fleet mode"). Loaded only when fleet mode is chosen
 * (detect.ts), so the single-agent mode starts without it.
 */
import { createInterface } from 'node:readline';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { Exit, type FleetCommand, type FleetIO } from './context.js';
import { crashCommand, flappingCommand, historyCommand, summaryCommand } from './commands/history.js';
import { hostsCommand } from './commands/hosts.js';
import { eventsCommand, tailCommand } from './commands/live.js';
import { loginCommand } from './commands/login.js';
import { operationCommands } from './commands/operations.js';
import { statusCommand } from './commands/status.js';
import { HubClient, HubError } from './hub-client.js';
import { resolveFleetSettings } from './settings.js';

export const FLEET_COMMANDS: readonly FleetCommand[] = [
  statusCommand,
  ...operationCommands,
  historyCommand,
  summaryCommand,
  flappingCommand,
  crashCommand,
  hostsCommand,
  tailCommand,
  eventsCommand,
  loginCommand,
];

export interface FleetRunContext {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  progname: string;
}

export function fleetHelpText(progname: string): string {
  return `fleetvisorctl fleet mode -- control the processes of every host a fleetvisor-hub follows.

Usage: ${progname} --hub URL [--token TOKEN] [--json] [--no-color] command [arguments]

Options (before the command):
--hub URL -- the hub (or FLEETVISOR_HUB, or [fleetvisorctl] hub= in the config)
--token TOKEN -- an API or login token (or FLEETVISOR_TOKEN, or token= from login)
-c/--configuration FILE -- read [fleetvisorctl] hub= and token= from FILE
--json -- machine-readable output (one JSON document, or JSON lines for streams)
--no-color -- no colours or progress bar even on a terminal

Selectors: HOSTGLOB/NAMESPEC, @tag/NAMESPEC, or NAMESPEC (every host);
NAMESPEC is all, GROUP:*, GROUP:NAME or NAME (the same as NAME:NAME).

Commands:
${FLEET_COMMANDS.map((c) => `  ${c.usage}`).join('\n')}
`;
}

export async function runFleet(ctx: FleetRunContext): Promise<number> {
  const status = await runCommand(ctx);
  // main() calls process.exit next: let a pipe take everything written first.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  return status;
}

async function runCommand(ctx: FleetRunContext): Promise<number> {
  const io = processIO();
  let json = ctx.argv.includes('--json');
  try {
    const settings = resolveFleetSettings(ctx.argv, { env: ctx.env, stdoutIsTty: process.stdout.isTTY === true });
    json = settings.json || settings.command.includes('--json');
    const [name, ...argv] = settings.command;
    if (settings.help || name === undefined || name === 'help') {
      io.stdout(fleetHelpText(ctx.progname));
      return Exit.OK;
    }
    const command = FLEET_COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new FleetvisorError('FV_USAGE', `unknown command '${name}' (the command help lists them)`);
    if (settings.hub === undefined && command !== loginCommand) {
      throw new FleetvisorError('FV_USAGE', 'no hub: give --hub URL, set FLEETVISOR_HUB, or run login');
    }
    const fleetIO: FleetIO = { ...io, colour: settings.colour };
    return await command.run({ hub: new HubClient(settings.hub ?? '', settings.token), settings, io: fleetIO, json: settings.json, argv });
  } catch (err) {
    return reportError(io, err, json, ctx.progname);
  }
}

function reportError(io: FleetIO, err: unknown, json: boolean, progname: string): number {
  let code: string;
  let message: string;
  let status: number = Exit.FAILED;
  if (err instanceof HubError) {
    code = err.code;
    message = err.message;
  } else if (err instanceof FleetvisorError) {
    code = err.code;
    message = err.message;
    if (err.code === 'FV_USAGE') status = Exit.USAGE;
  } else throw err;
  if (json) io.stderr(`${JSON.stringify({ error: { code, message } })}\n`);
  else io.stderr(`Error: ${message}\n${status === Exit.USAGE ? `For help, use ${progname.split('/').at(-1)} --hub URL help\n` : ''}`);
  return status;
}

function processIO(): FleetIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    colour: false,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
    prompt,
  };
}

/** One line from the terminal (echo off for a secret) or from piped stdin. */
async function prompt(question: string, secret: boolean): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return readPipedLine();
  process.stderr.write(question);
  if (!secret) {
    const rl = createInterface({ input: stdin, terminal: false });
    const line = await new Promise<string>((resolve) => rl.once('line', resolve).once('close', () => resolve('')));
    rl.close();
    return line;
  }
  return new Promise((resolve, reject) => {
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') {
          done();
          resolve(typed);
          return;
        }
        if (c === '\u0003') {
          done();
          reject(new FleetvisorError('FV_USAGE', 'login cancelled'));
          return;
        }
        if (c === '\u007f' || c === '\b') typed = typed.slice(0, -1);
        else typed += c;
      }
    };
    stdin.on('data', onData);
  });
}

let pipedLines: AsyncIterator<string> | undefined;

async function readPipedLine(): Promise<string> {
  pipedLines ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  const next = await pipedLines.next();
  return next.done === true ? '' : next.value;
}
