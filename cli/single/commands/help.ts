/** help, quit, exit and EOF (Ctrl-D): the commands about the command set itself. */
import { columnize } from '../../py-format.js';
import type { Command, CommandContext } from '../command.js';

const TOPICS_HEADER = 'default commands (type help <topic>):';

/** The listing of a bare `help`, given the documented command names. */
export function topicLines(names: readonly string[]): string[] {
  const sorted = [...names].sort();
  return ['', TOPICS_HEADER, '='.repeat(TOPICS_HEADER.length), ...columnize(sorted, 79), ''];
}

export function helpCommand(listNames: () => string[], lookup: (name: string) => Command | undefined): Command {
  return {
    name: 'help',
    async run(ctx: CommandContext, arg: string) {
      if (arg.trim() === 'help') {
        const lines = ['help\t\tPrint a list of available actions', 'help <action>\tPrint help for <action>'];
        ctx.out.result(lines.join('\n'), { command: 'help', help: lines.join('\n') });
        return;
      }
      if (arg === '') {
        const names = listNames();
        ctx.out.result(topicLines(names).join('\n'), { commands: [...names].sort() });
        return;
      }
      const help = lookup(arg)?.help;
      if (help === undefined) {
        ctx.out.result(`*** No help on ${arg}`, { command: arg, help: null });
        return;
      }
      ctx.out.result(help.join('\n'), { command: arg, help: help.join('\n') });
    },
  };
}

function leave(): Command['run'] {
  return async (ctx) => {
    ctx.out.result('', { ok: true });
    return 'exit';
  };
}

export const quit: Command = { name: 'quit', listed: true, help: ['quit\tExit the supervisor shell.'], run: leave() };
export const exit: Command = { name: 'exit', listed: true, help: ['exit\tExit the supervisor shell.'], run: leave() };
/** What the shell runs at end of input; supervisorctl has it as a command too, unlisted and without help. */
export const eof: Command = { name: 'EOF', run: leave() };
