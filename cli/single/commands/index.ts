/** The single-agent command set: supervisorctl 4.2.5's commands. */
import type { Command } from '../command.js';
import { add, avail, remove, reread, update } from './config.js';
import { clear, maintail, tail } from './logs.js';
import { open, reload, shutdown, version } from './daemon.js';
import { restart, signal, start, stop } from './control.js';
import { pid, status } from './status.js';
import { eof, exit, helpCommand, quit } from './help.js';
import { fg } from './fg.js';

export function singleCommands(): Command[] {
  const commands: Command[] = [
    add, avail, clear, exit, fg, maintail, open, pid, quit, reload, remove, reread,
    restart, shutdown, signal, start, status, stop, tail, update, version, eof,
  ];
  const byName = new Map(commands.map((c) => [c.name, c]));
  const help = helpCommand(
    () => commands.filter((c) => c.listed).map((c) => c.name),
    (name) => byName.get(name),
  );
  return [help, ...commands];
}
