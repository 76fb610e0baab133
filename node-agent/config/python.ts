/**
 * The few Python string behaviours supervisord's messages and parsing depend
 * on: repr() of a str, str.isspace/strip, and int() of a string.
 */

const PY_WHITESPACE = new Set(
  Array.from('\t\n\v\f\r \x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000'),
);
for (let c = 0x2000; c <= 0x200a; c++) PY_WHITESPACE.add(String.fromCharCode(c));

export function pyIsSpace(ch: string): boolean {
  return PY_WHITESPACE.has(ch);
}

export function pyStrip(s: string, chars?: string): string {
  const drop = chars === undefined ? pyIsSpace : (c: string) => chars.includes(c);
  let start = 0;
  let end = s.length;
  while (start < end && drop(s[start])) start++;
  while (end > start && drop(s[end - 1])) end--;
  return s.slice(start, end);
}

export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && pyIsSpace(s[end - 1])) end--;
  return s.slice(0, end);
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** Python's repr() of a str. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!;
      if (code < 0x100) out += '\\x' + hex(code, 2);
      else if (code < 0x10000) out += '\\u' + hex(code, 4);
      else out += '\\U' + hex(code, 8);
    } else out += ch;
  }
  return out + quote;
}

/** Digits with single underscores between them, as Python's int() allows. */
function digitsPattern(digitClass: string): string {
  return `${digitClass}(?:_?${digitClass})*`;
}

const DECIMAL = new RegExp(`^([+-]?)(${digitsPattern('[0-9]')})$`);
const OCTAL = new RegExp(`^([+-]?)(?:0[oO]_?)?(${digitsPattern('[0-7]')})$`);

/** Python int(s) for a str in base 10; undefined when Python would raise. */
export function pyParseInt(s: string): number | undefined {
  const m = DECIMAL.exec(pyStrip(s));
  if (!m) return undefined;
  const n = Number(m[2].replaceAll('_', ''));
  return m[1] === '-' ? 0 - n : n;
}

/** Python int(s, 8); undefined when Python would raise. */
export function pyParseOctal(s: string): number | undefined {
  const m = OCTAL.exec(pyStrip(s));
  if (!m) return undefined;
  const n = parseInt(m[2].replaceAll('_', ''), 8);
  return m[1] === '-' ? 0 - n : n;
}

export function pyIntError(value: string): string {
  return `invalid literal for int() with base 10: ${pyRepr(value)}`;
}

/** Python's sorted() order for str (code point order). */
export function pyCompare(a: string, b: string): number {
  const ai = Array.from(a, (c) => c.codePointAt(0)!);
  const bi = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ai.length, bi.length); i++) {
    if (ai[i] !== bi[i]) return ai[i] - bi[i];
  }
  return ai.length - bi.length;
}

/** os.path.dirname: everything before the last '/', trailing slashes dropped unless it is all slashes. */
export function pyDirname(path: string): string {
  const head = path.slice(0, path.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}
