/**
 * What a single-agent command sees (the controller implements it) and what
 * it provides. A command set is a list of these; the fleet mode will bring
 * its own list over the same Output and argument conventions.
 */
import type { Output } from '../output.js';
import type { SupervisorServer } from './server.js';

/** Terminal interaction a command may need (prompts, Ctrl-C, typed lines for `fg`). */
export interface ControllerIO {
  /**
   * Shows `prompt` and reads one line; undefined at end of input or when
   * `signal` aborts. `secret` hides what is typed.
   */
  ask(prompt: string, options?: { secret?: boolean; signal?: AbortSignal }): Promise<string | undefined>;
  /** Calls `handler` on Ctrl-C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
}

export interface CommandContext {
  readonly server: SupervisorServer;
  readonly out: Output;
  readonly io: ControllerIO;
  /** -i given, or running in the shell: reload/shutdown ask first. */
  readonly interactive: boolean;
  exitStatus: number;
  /** Applies the result-code rule for one per-process fault code. */
  applyFault(faultCode: number, tolerated?: number): void;
  /** supervisor.getVersion check; prints the reason and sets the exit status when the server is unusable. */
  upcheck(): Promise<boolean>;
  /** Prints the help lines of `command` (the usage shown after an argument error). */
  showHelp(command: string): void;
  /** Runs another command of the set on the same controller (restart = stop + start, open = status). */
  run(command: string, arg: string): Promise<CommandOutcome>;
}

/** 'exit' ends the shell (quit, exit, EOF). */
export type CommandOutcome = void | 'exit';

export interface Command {
  name: string;
  /** Lines of `help <name>`; a command without them answers `*** No help on <name>`. */
  help?: readonly string[];
  /** Listed by a bare `help` (supervisorctl lists every documented action). */
  listed?: boolean;
  run(ctx: CommandContext, arg: string): Promise<CommandOutcome>;
}

/** The whitespace-separated words of an argument string, as Python's str.split() gives them. */
export function words(arg: string): string[] {
  return arg.split(/\s+/).filter((w) => w !== '');
}
