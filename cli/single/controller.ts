/**
 * supervisorctl's command loop for one line: split into command and
 * argument, run it, and turn whatever it throws into supervisorctl's output
 * and exit status (compat spec §5.2).
 */
import { Faults } from '../../node-agent/api/faults.js';
import { API_VERSION } from '../../node-agent/api/types.js';
import type { Output } from '../output.js';
import type { Command, CommandContext, CommandOutcome, ControllerIO } from './command.js';
import { Exit, exitStatusForFault } from './exit-status.js';
import { asFault, httpStatusOf, pythonErrorLine, socketErrno } from './py-errors.js';
import type { SupervisorServer } from './server.js';

const IDENT_CHARS = /^[A-Za-z0-9_]*/;

export interface ParsedLine {
  command: string;
  arg: string;
  line: string;
}

/** cmd.Cmd.parseline: the command is the leading identifier characters; `?x` means `help x`. */
export function parseLine(input: string): ParsedLine {
  let line = input.trim();
  if (line.startsWith('?')) line = `help ${line.slice(1)}`;
  const command = IDENT_CHARS.exec(line)![0];
  return { command, arg: line.slice(command.length).trim(), line };
}

export class Controller implements CommandContext {
  exitStatus: number = Exit.SUCCESS;
  readonly server: SupervisorServer;
  readonly out: Output;
  readonly io: ControllerIO;
  readonly interactive: boolean;
  private readonly commands: Map<string, Command>;
  /** Set while the shell runs; the 401 handling differs. */
  shell = false;
  /** Called before each command (the shell drops its completion cache). */
  onCommand: (() => void) | undefined;

  constructor(opts: { server: SupervisorServer; out: Output; io: ControllerIO; interactive: boolean; commands: readonly Command[] }) {
    this.server = opts.server;
    this.out = opts.out;
    this.io = opts.io;
    this.interactive = opts.interactive;
    this.commands = new Map(opts.commands.map((c) => [c.name, c]));
  }

  commandNames(): string[] {
    return [...this.commands.keys()];
  }

  command(name: string): Command | undefined {
    return this.commands.get(name);
  }

  /** Runs one line; in JSON mode writes its document. 'exit' when the shell should end. */
  async onecmd(input: string): Promise<CommandOutcome> {
    const { command, arg, line } = parseLine(input);
    if (line === '') return;
    this.onCommand?.();
    const handler = this.commands.get(command);
    if (command === '' || !handler) {
      this.out.fail(`*** Unknown syntax: ${line}`);
      this.exitStatus = Exit.GENERIC;
      this.out.finish();
      return;
    }
    try {
      return await this.runGuarded(handler, arg, line);
    } finally {
      this.out.finish();
    }
  }

  private async runGuarded(handler: Command, arg: string, line: string): Promise<CommandOutcome> {
    try {
      try {
        return await handler.run(this, arg);
      } catch (err) {
        const status = httpStatusOf(err);
        if (status?.status !== 401) {
          if (status) this.exitStatus = Exit.GENERIC;
          throw err;
        }
        this.out.fail('Server requires authentication');
        if (this.interactive) {
          if (await this.login()) return await this.runGuarded(handler, arg, line);
          return;
        }
        this.exitStatus = Exit.GENERIC;
      }
      // supervisorctl runs the command once more after a refused login, and reports what that raises.
      return await handler.run(this, arg);
    } catch (err) {
      this.out.fail(pythonErrorLine(err, this.server.url));
      this.exitStatus = Exit.GENERIC;
      return;
    }
  }

  private async login(): Promise<boolean> {
    const username = await this.io.ask('Username:');
    if (username === undefined) return false;
    const password = await this.io.ask('Password:', { secret: true });
    if (password === undefined) return false;
    this.out.note('');
    this.server.retarget(this.server.url, { username, password });
    return true;
  }

  run(command: string, arg: string): Promise<CommandOutcome> {
    const handler = this.commands.get(command);
    if (!handler) throw new Error(`no command ${command}`);
    return handler.run(this, arg);
  }

  applyFault(faultCode: number, tolerated?: number): void {
    const status = exitStatusForFault(faultCode, tolerated);
    if (status !== undefined) this.exitStatus = status;
  }

  showHelp(command: string): void {
    for (const text of this.commands.get(command)?.help ?? []) this.out.note(text);
  }

  async upcheck(): Promise<boolean> {
    let api: string;
    try {
      api = await this.server.getVersion();
    } catch (err) {
      const fault = asFault(err);
      if (fault?.faultCode === Faults.UNKNOWN_METHOD) {
        this.out.fail(
          'Sorry, supervisord responded but did not recognize the supervisor namespace commands that ' +
            'supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section ' +
            'is enabled in the configuration file (see sample.conf).',
        );
        this.exitStatus = Exit.UNIMPLEMENTED_FEATURE;
        return false;
      }
      const errno = socketErrno(err);
      if (errno === 'ECONNREFUSED') {
        this.out.fail(`${this.server.url} refused connection`);
        this.exitStatus = Exit.INSUFFICIENT_PRIVILEGES;
        return false;
      }
      if (errno === 'ENOENT') {
        this.out.fail(`${this.server.url} no such file`);
        this.exitStatus = Exit.NOT_RUNNING;
        return false;
      }
      if (fault || errno !== undefined) this.exitStatus = Exit.GENERIC;
      throw err;
    }
    if (api !== API_VERSION) {
      this.out.fail(
        `Sorry, this version of supervisorctl expects to talk to a server with API version ${API_VERSION}, ` +
          `but the remote version is ${api}.`,
      );
      this.exitStatus = Exit.NOT_INSTALLED;
      return false;
    }
    return true;
  }
}
