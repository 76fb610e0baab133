/**
 * What every fleet command gets: the hub client, where to write, and
 * whether to speak JSON. Commands return the exit status.
 */
import type { HubClient } from './hub-client.js';
import type { CommandArgs } from './command-args.js';
import type { FleetSettings } from './settings.js';

export interface FleetIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdout is a terminal and colours are wanted: also enables the progress bar. */
  readonly colour: boolean;
  /** Calls `handler` on SIGINT (Ctrl-C) instead of exiting; returns the remover. */
  onInterrupt(handler: () => void): () => void;
  /** Asks on the terminal (or reads a line of stdin); `secret` hides what is typed. */
  prompt(question: string, secret: boolean): Promise<string>;
}

export interface CommandContext {
  hub: HubClient;
  settings: FleetSettings;
  io: FleetIO;
  /** --json before or after the command. */
  json: boolean;
  /** The command's words after its name. */
  argv: string[];
}

export interface FleetCommand {
  name: string;
  /** One line for `help`. */
  usage: string;
  run(ctx: CommandContext): Promise<number>;
}

export function jsonLine(io: FleetIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

export function lines(io: FleetIO, text: readonly string[]): void {
  if (text.length > 0) io.stdout(`${text.join('\n')}\n`);
}

/** --json given after the command name too. */
export function wantsJson(ctx: CommandContext, args: CommandArgs): boolean {
  return ctx.json || args.has('json');
}

/** Exit statuses of fleet mode (docs/cli.md). */
export const Exit = {
  OK: 0,
  /** The hub refused, a target failed, an operation was cancelled. */
  FAILED: 1,
  USAGE: 2,
  /** status: some listed process is not RUNNING (as supervisorctl's status). */
  NOT_RUNNING: 3,
} as const;
