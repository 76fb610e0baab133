/**
 * Python's `shlex.split(s)` (POSIX mode, whitespace splitting, no comments),
 * which supervisord uses to turn `command=` into argv.
 */

/** What Python raises as ValueError; the message is Python's. */
export class ShlexError extends Error {
  constructor(message: 'No closing quotation' | 'No escaped character') {
    super(message);
    this.name = 'ShlexError';
  }
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const QUOTES = new Set(["'", '"']);
const ESCAPE = '\\';

type Mode =
  | { kind: 'between' }
  | { kind: 'word' }
  | { kind: 'quoted'; quote: string }
  /** After a backslash; `inQuote` is the double quote we are inside, if any. */
  | { kind: 'escaped'; inQuote?: string };

/** Split like `shlex.split(text)`; throws ShlexError on a dangling quote or backslash. */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let mode: Mode = { kind: 'between' };
  let word = '';
  // A word made only of empty quotes ('' or "") still counts as a word.
  let sawQuote = false;

  const finishWord = () => {
    if (word !== '' || sawQuote) words.push(word);
    word = '';
    sawQuote = false;
  };

  for (const ch of text) {
    switch (mode.kind) {
      case 'between':
      case 'word':
        if (WHITESPACE.has(ch)) {
          if (mode.kind === 'word') finishWord();
          mode = { kind: 'between' };
        } else if (QUOTES.has(ch)) {
          sawQuote = true;
          mode = { kind: 'quoted', quote: ch };
        } else if (ch === ESCAPE) {
          mode = { kind: 'escaped' };
        } else {
          word += ch;
          mode = { kind: 'word' };
        }
        break;
      case 'quoted':
        if (ch === mode.quote) mode = { kind: 'word' };
        else if (ch === ESCAPE && mode.quote === '"') mode = { kind: 'escaped', inQuote: '"' };
        else word += ch;
        break;
      case 'escaped':
        // Inside double quotes a backslash only escapes `"` and `\`; elsewhere it stays.
        if (mode.inQuote !== undefined && ch !== mode.inQuote && ch !== ESCAPE) word += ESCAPE;
        word += ch;
        mode = mode.inQuote !== undefined ? { kind: 'quoted', quote: mode.inQuote } : { kind: 'word' };
        break;
    }
  }

  if (mode.kind === 'quoted') throw new ShlexError('No closing quotation');
  if (mode.kind === 'escaped') throw new ShlexError('No escaped character');
  if (mode.kind === 'word') finishWord();
  return words;
}
