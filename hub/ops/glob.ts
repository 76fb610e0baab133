/**
 * Shell-style globs as the hub uses them everywhere (the store matches with
 * SQLite GLOB, which has the same rules): `*` any run of characters, `?` one
 * character, `[abc]` / `[a-z]` a set, `[!abc]` or `[^abc]` its complement.
 * Case-sensitive, and nothing is special about `:` or `.`.
 */

export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Compiles `pattern`; returns an explanation instead when a `[` set is never closed or empty. */
export function compileGlob(pattern: string): RegExp | string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const set = readSet(pattern, i);
      if (typeof set === 'string') return set;
      source += set.source;
      i = set.end;
    } else source += escapeChar(char);
  }
  try {
    return new RegExp(`^${source}$`, 's');
  } catch {
    return 'a [..] set has a range out of order';
  }
}

export function matchGlob(pattern: string, text: string): boolean {
  const compiled = compileGlob(pattern);
  return typeof compiled !== 'string' && compiled.test(text);
}

function readSet(pattern: string, open: number): { source: string; end: number } | string {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const start = i;
  // A `]` right after the opening (or its negation) is a member, as in SQLite and fnmatch.
  if (pattern[i] === ']') i++;
  while (i < pattern.length && pattern[i] !== ']') i++;
  if (i >= pattern.length) return `'[' at position ${open + 1} is never closed`;
  const members = pattern.slice(start, i);
  let body = '';
  for (let j = 0; j < members.length; j++) {
    if (members[j + 1] === '-' && j + 2 < members.length) {
      body += `${escapeSetChar(members[j])}-${escapeSetChar(members[j + 2])}`;
      j += 2;
    } else body += escapeSetChar(members[j]);
  }
  return { source: `[${negate ? '^' : ''}${body}]`, end: i };
}

function escapeChar(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function escapeSetChar(char: string): string {
  return /[\\\]^-]/.test(char) ? `\\${char}` : char;
}
