/**
 * `environment=` values: KEY=VAL pairs split by Python's non-POSIX shlex, as
 * supervisord 4.2.5 does (compat spec §1.4), quirks included: tokens are
 * consumed four at a time and the separator token is never checked.
 */
import { FleetvisorError } from '../api/errors.js';
import { pyStrip } from './python.js';

const WORD_CHARS = new Set(
  Array.from('abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():'),
);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const QUOTES = new Set(["'", '"']);
const COMMENTER = '#';

/** shlex.shlex(text) in non-POSIX mode, iterated to the end. */
export function shlexNonPosix(text: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  const skipLine = () => {
    const nl = text.indexOf('\n', pos);
    pos = nl === -1 ? text.length : nl + 1;
  };

  while (pos < text.length) {
    let state: 'space' | 'word' | string = 'space';
    let token = '';
    while (true) {
      const ch = pos < text.length ? text[pos++] : '';
      if (state === 'space') {
        if (ch === '') break;
        if (WHITESPACE.has(ch)) continue;
        if (ch === COMMENTER) {
          skipLine();
          continue;
        }
        if (WORD_CHARS.has(ch)) {
          token = ch;
          state = 'word';
        } else if (QUOTES.has(ch)) {
          token = ch;
          state = ch;
        } else {
          token = ch;
          break;
        }
      } else if (state === 'word') {
        if (ch === '') break;
        if (WHITESPACE.has(ch)) break;
        if (ch === COMMENTER) {
          // Non-POSIX shlex drops the rest of the line but keeps building the word.
          skipLine();
          continue;
        }
        if (WORD_CHARS.has(ch) || QUOTES.has(ch)) {
          token += ch;
        } else {
          pos--; // the punctuation character becomes the next token
          break;
        }
      } else {
        if (ch === '') throw new FleetvisorError('FV_CONFIG_BAD_VALUE', 'No closing quotation');
        token += ch;
        if (ch === state) break;
      }
    }
    if (token === '') break;
    tokens.push(token);
  }
  return tokens;
}

/** supervisord's dict_of_key_value_pairs. */
export function parseEnvironmentPairs(value: string): Record<string, string> {
  const tokens = shlexNonPosix(value);
  const pairs: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const [key, eq, val] = tokens.slice(i, i + 3);
    if (val === undefined || eq !== '=') {
      throw new FleetvisorError(
        'FV_CONFIG_BAD_VALUE',
        `Unexpected end of key/value pairs in value '${value}'`,
      );
    }
    // defineProperty: a key named __proto__ must stay an ordinary key.
    Object.defineProperty(pairs, key, {
      value: pyStrip(val, `'"`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return pairs;
}
