/**
 * A fleet command's own arguments: options may come before, between or
 * after the positional words (`status web* --state FATAL`), `--opt=value`
 * and `--opt value` both work, a repeated option collects every value, and
 * `--` ends the options. Every command also takes `--json`.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';

export interface CommandOption {
  long: string;
  short?: string;
  takesValue: boolean;
}

export interface CommandArgs {
  positional: string[];
  /** Every value given, in order (flags: one empty string per use). */
  values: Map<string, string[]>;
  last(name: string): string | undefined;
  all(name: string): string[];
  has(name: string): boolean;
}

const JSON_OPTION: CommandOption = { long: 'json', takesValue: false };

export function parseCommandArgs(command: string, specs: readonly CommandOption[], argv: readonly string[]): CommandArgs {
  const all = [...specs, JSON_OPTION];
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (spec: CommandOption, value: string): void => {
    const list = values.get(spec.long) ?? [];
    list.push(value);
    values.set(spec.long, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
      positional.push(word);
      continue;
    }
    const long = word.startsWith('--');
    const eq = long ? word.indexOf('=') : -1;
    const name = long ? word.slice(2, eq < 0 ? undefined : eq) : word.slice(1, 2);
    const spec = all.find((s) => (long ? s.long === name : s.short === name));
    if (spec === undefined) throw new FleetvisorError('FV_USAGE', `${command}: unknown option ${long ? `--${name}` : `-${name}`}`);
    if (!spec.takesValue) {
      if (eq >= 0 || (!long && word.length > 2)) throw new FleetvisorError('FV_USAGE', `${command}: option ${word} takes no value`);
      add(spec, '');
      continue;
    }
    let value: string | undefined = long ? (eq >= 0 ? word.slice(eq + 1) : undefined) : word.length > 2 ? word.slice(2) : undefined;
    if (value === undefined) value = argv[++i];
    if (value === undefined) throw new FleetvisorError('FV_USAGE', `${command}: option ${long ? `--${name}` : `-${name}`} needs a value`);
    add(spec, value);
  }
  return {
    positional,
    values,
    last: (name) => values.get(name)?.at(-1),
    all: (name) => values.get(name) ?? [],
    has: (name) => values.has(name),
  };
}

/** A whole number ≥ `min` from an option's text. */
export function integerOption(command: string, option: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new FleetvisorError('FV_USAGE', `${command}: --${option} '${text}' is not a whole number ≥ ${min}`);
  return Number(text);
}

/** Seconds (fractions allowed) from an option's text. */
export function secondsOption(command: string, option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new FleetvisorError('FV_USAGE', `${command}: --${option} '${text}' is not a number of seconds`);
  return Number(text);
}
