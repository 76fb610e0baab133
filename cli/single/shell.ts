/**
 * The interactive shell: runs `status` first, then reads commands at
 * `<prompt>> ` until quit/exit, Ctrl-D or Ctrl-C. History persists in the
 * -r / history_file file (one command a line, oldest first, as GNU
 * readline writes it). Always exits 0, like supervisorctl.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Controller } from './controller.js';
import { Completer } from './completion.js';
import { Terminal } from './terminal.js';

/** Oldest first; a missing or unreadable file is an empty history. */
export function readHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  } catch {
    return [];
  }
}

export function writeHistory(path: string, oldestFirst: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, oldestFirst.map((l) => `${l}\n`).join(''));
  } catch {
    // supervisorctl ignores a history file it cannot write
  }
}

export interface ShellOptions {
  prompt: string;
  historyFile?: string;
}

/** Runs the shell on `makeController(terminal)`; resolves when it ends. */
export async function runShell(makeController: (terminal: Terminal) => Controller, options: ShellOptions): Promise<void> {
  let completer: Completer | undefined;
  const history = options.historyFile ? readHistory(options.historyFile) : [];
  const terminal = new Terminal({
    history: [...history].reverse(),
    completer: (line, callback) => {
      completer!.complete(line).then(
        (result) => callback(null, result),
        () => callback(null, [[], line]),
      );
    },
  });
  const controller = makeController(terminal);
  controller.shell = true;
  completer = new Completer(
    () => controller.commandNames().filter((n) => controller.command(n)?.listed),
    () => controller.server.getAllProcessInfo(),
  );
  controller.onCommand = () => completer!.reset();

  const save = (): void => {
    // node:readline only keeps history for a terminal; otherwise the file is written back unchanged
    if (!options.historyFile) return;
    const lines = terminal.interactive ? [...terminal.history()].reverse() : history;
    writeHistory(options.historyFile, lines);
  };
  let interrupted: () => void = () => {};
  const ended = new Promise<void>((resolve) => (interrupted = resolve));
  terminal.onIdleInterrupt = () => {
    controller.out.note('');
    interrupted();
  };

  const loop = async (): Promise<void> => {
    await controller.onecmd('status');
    for (;;) {
      const line = await terminal.ask(`${options.prompt}> `);
      if ((await controller.onecmd(line ?? 'EOF')) === 'exit') return;
    }
  };
  await Promise.race([loop(), ended]);
  save();
  terminal.close();
}
