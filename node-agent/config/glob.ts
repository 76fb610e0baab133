/**
 * Python's glob.glob (non-recursive) on POSIX: `*`, `?`, `[...]`, hidden
 * files only matched by a pattern that starts with '.'. Results unsorted.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { pyDirname } from './python.js';

const MAGIC = /[*?[]/;

export function pyGlob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return lexists(pattern) ? [pattern] : [];
  const dir = pyDirname(pattern);
  const base = pattern.slice(pattern.lastIndexOf('/') + 1);
  const dirs = dir && MAGIC.test(dir) ? pyGlob(dir) : [dir];
  const results: string[] = [];
  for (const d of dirs) {
    const names = MAGIC.test(base) ? matchInDirectory(d, base) : literalInDirectory(d, base);
    for (const name of names) results.push(d ? joinPath(d, name) : name);
  }
  return results;
}

/** os.path.join of two parts: no normalisation. */
function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function literalInDirectory(dir: string, base: string): string[] {
  if (base === '') return isDir(dir) ? [''] : [];
  return lexists(dir ? `${dir}/${base}` : base) ? [base] : [];
}

function matchInDirectory(dir: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir || '.');
  } catch {
    return [];
  }
  const regex = fnmatchToRegExp(pattern);
  const allowHidden = pattern.startsWith('.');
  return names.filter((n) => (allowHidden || !n.startsWith('.')) && regex.test(n));
}

export function fnmatchToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++];
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let stuff = pattern.slice(i, j).replace(/\\/g, '\\\\');
      i = j + 1;
      if (stuff === '') out += '(?!)';
      else if (stuff === '!') out += '.';
      else {
        if (stuff[0] === '!') stuff = '^' + stuff.slice(1);
        else if (stuff[0] === '^' || stuff[0] === '[') stuff = '\\' + stuff;
        out += `[${stuff.replace(/]/g, '\\]')}]`;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`, 's');
}
