/**
 * Python's `format % mapping` as supervisord applies it to config values
 * (`%(program_name)s`, `%(process_num)02d`, `%%`), with supervisord's
 * messages for unknown names and malformed formats (compat spec §1.3).
 */
import { FleetvisorError } from '../api/errors.js';
import { pyCompare, pyRepr } from './python.js';

export type ExpansionValue = string | number;
export type Expansions = Record<string, ExpansionValue>;

class MissingKey {
  constructor(readonly key: string) {}
}
class BadFormat {
  constructor(readonly message: string) {}
}

/** Expand `s` or throw supervisord's error naming `name` (e.g. `program:a.command`). */
export function expand(s: string, expansions: Expansions, name: string): string {
  try {
    return formatWithMapping(s, expansions);
  } catch (err) {
    if (err instanceof MissingKey) {
      const available = Object.keys(expansions).sort(pyCompare).join(', ');
      throw new FleetvisorError(
        'FV_CONFIG_BAD_VALUE',
        `Format string ${pyRepr(s)} for ${pyRepr(name)} contains names (${pyRepr(err.key)}) ` +
          `which cannot be expanded. Available names: ${available}`,
      );
    }
    if (err instanceof BadFormat) {
      throw new FleetvisorError(
        'FV_CONFIG_BAD_VALUE',
        `Format string ${pyRepr(s)} for ${pyRepr(name)} is badly formatted: ${err.message}`,
      );
    }
    throw err;
  }
}

interface Spec {
  flags: string;
  width?: number;
  precision?: number;
  conversion: string;
}

/** The mapping itself stands for the single positional argument, as in Python. */
const MAPPING_ARG = Symbol('mapping');
type Arg = ExpansionValue | typeof MAPPING_ARG;

export function formatWithMapping(fmt: string, mapping: Expansions): string {
  let out = '';
  let i = 0;
  let positionalUsed = false;
  const nextPositional = (): Arg => {
    if (positionalUsed) throw new BadFormat('not enough arguments for format string');
    positionalUsed = true;
    return MAPPING_ARG;
  };

  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    i++;
    if (fmt[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let arg: Arg | undefined;
    if (fmt[i] === '(') {
      const { key, end } = readKey(fmt, i);
      if (!Object.prototype.hasOwnProperty.call(mapping, key)) throw new MissingKey(key);
      arg = mapping[key];
      i = end;
    }
    let flags = '';
    while (i < fmt.length && '-+ #0'.includes(fmt[i])) flags += fmt[i++];
    const width = readNumber(fmt, i, arg !== undefined);
    i = width.end;
    let precision: number | undefined;
    if (fmt[i] === '.') {
      const p = readNumber(fmt, i + 1, arg !== undefined);
      precision = p.value ?? 0;
      i = p.end;
    }
    while (i < fmt.length && 'hlL'.includes(fmt[i])) i++;
    if (i >= fmt.length) throw new BadFormat('incomplete format');
    const conversion = fmt[i];
    const conversionIndex = i;
    i++;
    if (arg === undefined) arg = nextPositional();
    out += convert({ flags, width: width.value, precision, conversion }, arg, mapping, conversionIndex);
  }
  return out;
}

function readKey(fmt: string, open: number): { key: string; end: number } {
  let depth = 1;
  let j = open + 1;
  while (j < fmt.length && depth > 0) {
    if (fmt[j] === '(') depth++;
    else if (fmt[j] === ')') depth--;
    j++;
  }
  if (depth > 0) throw new BadFormat('incomplete format key');
  return { key: fmt.slice(open + 1, j - 1), end: j };
}

function readNumber(fmt: string, start: number, keyed: boolean): { value?: number; end: number } {
  if (fmt[start] === '*') {
    throw new BadFormat(keyed ? 'not enough arguments for format string' : '* wants int');
  }
  let j = start;
  while (j < fmt.length && fmt[j] >= '0' && fmt[j] <= '9') j++;
  return { value: j > start ? Number(fmt.slice(start, j)) : undefined, end: j };
}

function typeName(arg: Arg): string {
  if (arg === MAPPING_ARG) return 'dict';
  return typeof arg === 'number' ? 'int' : 'str';
}

function reprOf(arg: Arg, mapping: Expansions): string {
  if (arg === MAPPING_ARG) {
    const items = Object.entries(mapping).map(([k, v]) => `${pyRepr(k)}: ${reprOf(v, mapping)}`);
    return `{${items.join(', ')}}`;
  }
  return typeof arg === 'number' ? String(arg) : pyRepr(arg);
}

function convert(spec: Spec, arg: Arg, mapping: Expansions, index: number): string {
  const c = spec.conversion;
  switch (c) {
    case 's':
    case 'r':
    case 'a': {
      let text = c === 's' && typeof arg === 'string' ? arg : reprOf(arg, mapping);
      if (c === 's' && typeof arg === 'number') text = String(arg);
      if (c === 'a') text = text.replace(/[^\x00-\x7f]/gu, asciiEscape);
      if (spec.precision !== undefined) text = Array.from(text).slice(0, spec.precision).join('');
      return pad(text, spec);
    }
    case 'd':
    case 'i':
    case 'u':
      if (typeof arg !== 'number') {
        throw new BadFormat(`%${c} format: a real number is required, not ${typeName(arg)}`);
      }
      return formatInteger(Math.trunc(arg), 10, spec, '');
    case 'o':
    case 'x':
    case 'X':
      if (typeof arg !== 'number') {
        throw new BadFormat(`%${c} format: an integer is required, not ${typeName(arg)}`);
      }
      return formatInteger(arg, c === 'o' ? 8 : 16, spec, c === 'o' ? '0o' : c === 'x' ? '0x' : '0X');
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (typeof arg !== 'number') throw new BadFormat(`must be real number, not ${typeName(arg)}`);
      return formatFloat(arg, spec);
    case 'c':
      if (typeof arg === 'number') {
        if (arg < 0 || arg > 0x10ffff) throw new BadFormat('%c arg not in range(0x110000)');
        return pad(String.fromCodePoint(arg), spec);
      }
      if (typeof arg === 'string' && Array.from(arg).length === 1) return pad(arg, spec);
      throw new BadFormat('%c requires int or char');
    default: {
      const code = c.codePointAt(0)!;
      throw new BadFormat(`unsupported format character '${c}' (0x${code.toString(16)}) at index ${index}`);
    }
  }
}

function asciiEscape(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x100) return '\\x' + code.toString(16).padStart(2, '0');
  if (code < 0x10000) return '\\u' + code.toString(16).padStart(4, '0');
  return '\\U' + code.toString(16).padStart(8, '0');
}

function signOf(negative: boolean, flags: string): string {
  if (negative) return '-';
  if (flags.includes('+')) return '+';
  if (flags.includes(' ')) return ' ';
  return '';
}

function formatInteger(value: number, radix: number, spec: Spec, altPrefix: string): string {
  let digits = Math.abs(value).toString(radix);
  if (spec.conversion === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  const prefix = signOf(value < 0, spec.flags) + (spec.flags.includes('#') ? altPrefix : '');
  return padNumber(prefix, digits, spec);
}

function formatFloat(value: number, spec: Spec): string {
  const c = spec.conversion;
  const precision = spec.precision ?? 6;
  const abs = Math.abs(value);
  let body: string;
  if (c === 'f' || c === 'F') body = abs.toFixed(precision);
  else if (c === 'e' || c === 'E') body = exponential(abs, precision);
  else {
    const p = precision === 0 ? 1 : precision;
    const exp = abs === 0 ? 0 : Math.floor(Math.log10(abs));
    body = exp >= -4 && exp < p ? abs.toFixed(Math.max(0, p - 1 - exp)) : exponential(abs, p - 1);
    if (!spec.flags.includes('#')) body = stripTrailingZeros(body);
  }
  if (c === 'E' || c === 'G') body = body.toUpperCase();
  return padNumber(signOf(value < 0, spec.flags), body, spec);
}

function stripTrailingZeros(body: string): string {
  const [mantissa, exponent] = body.split('e');
  if (!mantissa.includes('.')) return body;
  const trimmed = mantissa.replace(/0+$/, '').replace(/\.$/, '');
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

function exponential(value: number, precision: number): string {
  return value.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

function padNumber(prefix: string, digits: string, spec: Spec): string {
  const width = spec.width ?? 0;
  if (spec.flags.includes('-')) return (prefix + digits).padEnd(width, ' ');
  if (spec.flags.includes('0')) return prefix + digits.padStart(width - prefix.length, '0');
  return (prefix + digits).padStart(width, ' ');
}

function pad(text: string, spec: Spec): string {
  const width = spec.width ?? 0;
  const length = Array.from(text).length;
  if (length >= width) return text;
  const fill = ' '.repeat(width - length);
  return spec.flags.includes('-') ? text + fill : fill + text;
}
