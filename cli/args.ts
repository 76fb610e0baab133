/**
 * Command-line parsing with Python getopt's rules, so both command sets
 * report bad usage in supervisorctl's words: options stop at the first
 * non-option word (the command), `--` ends them, long options may be
 * abbreviated to a unique prefix, and errors read `option -x not recognized`.
 */
import { FleetvisorError } from '../node-agent/api/errors.js';

export interface OptionSpec<K extends string = string> {
  key: K;
  /** One letter, without the dash. */
  short?: string;
  /** Without the dashes, e.g. `serverurl`. */
  long?: string;
  takesValue: boolean;
}

export interface ParsedOption<K extends string = string> {
  key: K;
  /** How the user spelled it: `-s` or `--serverurl` (full name, as getopt reports it). */
  shown: string;
  /** The value, or undefined for a flag. */
  value: string | undefined;
}

export interface ParsedArgs<K extends string = string> {
  /** In command-line order; a repeated option appears twice (callers decide whether that conflicts). */
  options: ParsedOption<K>[];
  /** The command and its arguments. */
  rest: string[];
}

function usage(message: string): FleetvisorError {
  return new FleetvisorError('FV_USAGE', message);
}

function parseLong<K extends string>(specs: readonly OptionSpec<K>[], token: string, next: () => string | undefined): ParsedOption<K> {
  const eq = token.indexOf('=');
  const typed = token.slice(2, eq < 0 ? undefined : eq);
  const exact = specs.find((s) => s.long === typed);
  const candidates = exact ? [exact] : specs.filter((s) => s.long?.startsWith(typed));
  if (candidates.length === 0) throw usage(`option --${typed} not recognized`);
  if (candidates.length > 1) throw usage(`option --${typed} not a unique prefix`);
  const spec = candidates[0];
  const shown = `--${spec.long}`;
  if (!spec.takesValue) {
    if (eq >= 0) throw usage(`option ${shown} must not have an argument`);
    return { key: spec.key, shown, value: undefined };
  }
  if (eq >= 0) return { key: spec.key, shown, value: token.slice(eq + 1) };
  const value = next();
  if (value === undefined) throw usage(`option ${shown} requires argument`);
  return { key: spec.key, shown, value };
}

/** Parses `argv` (without node and the script); throws FV_USAGE with getopt's message. */
export function parseArgs<K extends string>(specs: readonly OptionSpec<K>[], argv: readonly string[]): ParsedArgs<K> {
  const options: ParsedOption<K>[] = [];
  let i = 0;
  const next = (): string | undefined => (i + 1 < argv.length ? argv[++i] : undefined);
  for (; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      i++;
      break;
    }
    if (!token.startsWith('-') || token === '-') break;
    if (token.startsWith('--')) {
      options.push(parseLong(specs, token, next));
      continue;
    }
    for (let j = 1; j < token.length; j++) {
      const letter = token[j];
      const spec = specs.find((s) => s.short === letter);
      if (!spec) throw usage(`option -${letter} not recognized`);
      const shown = `-${letter}`;
      if (!spec.takesValue) {
        options.push({ key: spec.key, shown, value: undefined });
        continue;
      }
      let value: string | undefined = token.slice(j + 1);
      if (value === '') value = next();
      if (value === undefined) throw usage(`option ${shown} requires argument`);
      options.push({ key: spec.key, shown, value });
      break;
    }
  }
  return { options, rest: argv.slice(i) };
}
