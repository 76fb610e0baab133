/**
 * A reader with the semantics of Python's RawConfigParser as supervisord 4.2.5
 * configures it: strict=False, inline comments `;`/`#` (only after
 * whitespace), `=`/`:` delimiters, continuation lines, [DEFAULT] inheritance.
 */
import { FleetvisorError } from '../api/errors.js';
import { pyIsSpace, pyRepr, pyRstrip, pyStrip } from './python.js';

const DEFAULT_SECTION = 'DEFAULT';
const INLINE_COMMENT_PREFIXES = [';', '#'];
const SECTION_HEADER = /^\[(.+)\]/s;
// Non-greedy option name: the first delimiter on the line splits.
const OPTION_LINE = /^(.*?)\s*([=:])\s*(.*)$/s;

type RawSection = Map<string, string | string[]>;

export class IniParser {
  private readonly defaults: RawSection = new Map();
  private readonly sectionMap = new Map<string, RawSection>();

  /** Parse one file's text into this parser (sections seen before are merged). */
  read(text: string, source: string): void {
    const lines = splitLines(text);
    const errors: string[] = [];
    let cursect: RawSection | undefined;
    let optname: string | undefined;
    let indentLevel = 0;

    lines.forEach((line, index) => {
      const lineno = index + 1;
      const commentStart = findCommentStart(line);
      const value = pyStrip(commentStart === undefined ? line : line.slice(0, commentStart));
      if (!value) {
        // Blank lines inside a value are kept; comment-only lines are not.
        if (commentStart === undefined && cursect && optname) {
          const current = cursect.get(optname);
          if (Array.isArray(current)) current.push('');
        }
        return;
      }
      const curIndent = firstNonSpace(line);
      if (cursect && optname && curIndent > indentLevel) {
        const current = cursect.get(optname);
        if (Array.isArray(current)) current.push(value);
        else cursect.set(optname, [value]);
        return;
      }
      indentLevel = curIndent;
      const header = SECTION_HEADER.exec(value);
      if (header) {
        const name = header[1];
        if (name === DEFAULT_SECTION) cursect = this.defaults;
        else {
          cursect = this.sectionMap.get(name);
          if (!cursect) {
            cursect = new Map();
            this.sectionMap.set(name, cursect);
          }
        }
        optname = undefined;
        return;
      }
      if (!cursect) {
        throw new FleetvisorError(
          'FV_CONFIG_SYNTAX',
          `File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`,
        );
      }
      const option = OPTION_LINE.exec(value);
      if (!option) {
        errors.push(`\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line)}`);
        return;
      }
      if (!option[1]) errors.push(`\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line)}`);
      optname = pyRstrip(option[1]).toLowerCase();
      cursect.set(optname, [pyStrip(option[3])]);
    });

    this.joinMultilineValues();
    if (errors.length > 0) {
      throw new FleetvisorError(
        'FV_CONFIG_SYNTAX',
        [`Source contains parsing errors: ${pyRepr(source)}`, ...errors].join('\n'),
      );
    }
  }

  sections(): string[] {
    return [...this.sectionMap.keys()];
  }

  hasSection(section: string): boolean {
    return this.sectionMap.has(section);
  }

  hasOption(section: string, option: string): boolean {
    return this.get(section, option) !== undefined;
  }

  /** The value of option in section, falling back to [DEFAULT]; undefined when absent. */
  get(section: string, option: string): string | undefined {
    const key = option.toLowerCase();
    const own = this.sectionMap.get(section);
    const value = own?.has(key) ? own.get(key) : this.defaults.get(key);
    return typeof value === 'string' ? value : value?.join('\n');
  }

  /** Option names of a section: its own first, then inherited [DEFAULT] ones. */
  options(section: string): string[] {
    const keys = new Set(this.sectionMap.get(section)?.keys() ?? []);
    for (const key of this.defaults.keys()) keys.add(key);
    return [...keys];
  }

  set(section: string, option: string, value: string): void {
    const target = section === DEFAULT_SECTION ? this.defaults : this.sectionMap.get(section);
    target?.set(option.toLowerCase(), value);
  }

  private joinMultilineValues(): void {
    for (const section of [this.defaults, ...this.sectionMap.values()]) {
      for (const [key, value] of section) {
        if (Array.isArray(value)) section.set(key, pyRstrip(value.join('\n')));
      }
    }
  }
}

/** Python text-mode line iteration: universal newlines, each line keeps its '\n'. */
function splitLines(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n').map((l) => l + '\n');
  const last = lines.pop()!;
  if (last !== '\n') lines.push(last.slice(0, -1));
  return lines;
}

/**
 * Where an inline comment starts, with configparser's exact search: each
 * round advances every prefix to its next occurrence and stops at the first
 * round where one of them is at column 0 or follows whitespace.
 */
function findCommentStart(line: string): number | undefined {
  if (INLINE_COMMENT_PREFIXES.some((p) => pyStrip(line).startsWith(p))) return 0;
  let positions = new Map(INLINE_COMMENT_PREFIXES.map((p) => [p, -1]));
  while (positions.size > 0) {
    let found: number | undefined;
    const next = new Map<string, number>();
    for (const [prefix, from] of positions) {
      const index = line.indexOf(prefix, from + 1);
      if (index === -1) continue;
      next.set(prefix, index);
      if (index === 0 || pyIsSpace(line[index - 1])) {
        found = found === undefined ? index : Math.min(found, index);
      }
    }
    if (found !== undefined) return found;
    positions = next;
  }
  return undefined;
}

function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i++) if (!pyIsSpace(line[i])) return i;
  return 0;
}
