/**
 * Tab completion in the shell, with supervisorctl's rules: the first word
 * completes to a command; after add/remove/update to a group name; after the
 * process commands to `name`, `group:name` or `group:*`. Process names are
 * fetched once per command line (getAllProcessInfo) and cached until the
 * next command runs.
 */
import type { ProcessInfo } from '../../node-agent/api/types.js';

const GROUP_COMMANDS = new Set(['add', 'remove', 'update']);
const PROCESS_COMMANDS = new Set(['clear', 'fg', 'pid', 'restart', 'signal', 'start', 'status', 'stop', 'tail']);
/** readline's word delimiters minus `:`, `*` and `-`, so `group:*` and `my-app` are one word. */
const DELIMITERS = /[\s`~!@#$%^&()=+[{\]}\\|;'",<>/?]/;

export class Completer {
  private cache: Promise<ProcessInfo[]> | undefined;

  constructor(
    private readonly commandNames: () => string[],
    private readonly fetchInfos: () => Promise<ProcessInfo[]>,
  ) {}

  /** Forget the process list (called before each command). */
  reset(): void {
    this.cache = undefined;
  }

  private infos(): Promise<ProcessInfo[]> {
    this.cache ??= this.fetchInfos().catch(() => []);
    return this.cache;
  }

  /** The word being completed: what follows the last delimiter. */
  static wordAt(line: string): string {
    let start = line.length;
    while (start > 0 && !DELIMITERS.test(line[start - 1])) start--;
    return line.slice(start);
  }

  /** Candidates for the word at the end of `line`, each followed by a space. */
  async complete(line: string): Promise<[string[], string]> {
    const text = Completer.wordAt(line);
    const words = line.split(/\s+/).filter((w) => w !== '');
    let matches: string[] = [];
    if (words.length === 0 || (words.length === 1 && !line.endsWith(' '))) matches = this.actions(text);
    // supervisorctl tests `action in ('help')`, a substring test on 'help'
    else if ('help'.includes(words[0])) matches = this.actions(text);
    else if (GROUP_COMMANDS.has(words[0])) matches = await this.groups(text);
    else if (PROCESS_COMMANDS.has(words[0])) matches = await this.processes(text);
    return [[...new Set(matches)], text];
  }

  private actions(text: string): string[] {
    return ['help', ...this.commandNames()].filter((a) => a.startsWith(text)).map((a) => `${a} `);
  }

  private async groups(text: string): Promise<string[]> {
    const groups = [...new Set((await this.infos()).map((i) => i.group))];
    return groups.filter((g) => g.startsWith(text)).map((g) => `${g} `);
  }

  private async processes(text: string): Promise<string[]> {
    const names: string[] = [];
    for (const info of await this.infos()) {
      if (text.includes(':') || info.name !== info.group) {
        names.push(`${info.group}:${info.name}`);
        if (!names.includes(`${info.group}:*`)) names.push(`${info.group}:*`);
      } else names.push(info.name);
    }
    return names.filter((n) => n.startsWith(text)).map((n) => `${n} `);
  }
}
