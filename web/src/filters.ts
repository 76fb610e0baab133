/**
 * The overview's filters, applied in the browser to the live process list:
 * host and name are shell globs (* ? [..]) like the API's, tag and state are
 * exact, q is a case-insensitive substring of host, name, state and
 * description. Several values of one filter OR together; filters AND.
 */
import type { Agent, Process } from './types.js';

export interface ProcessFilter {
  host: string;
  tag: string;
  state: string;
  name: string;
  q: string;
}

export const EMPTY_FILTER: ProcessFilter = { host: '', tag: '', state: '', name: '', q: '' };

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function values(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

export function isEmptyFilter(filter: ProcessFilter): boolean {
  return Object.values(filter).every((value) => value === '');
}

/** Rows are replaced, never changed in place, so a row's lowercased text can be kept for as long as the row lives. */
const haystacks = new WeakMap<Process, string>();

function haystackOf(process: Process): string {
  let haystack = haystacks.get(process);
  if (haystack === undefined) {
    haystack = `${process.agent} ${process.namespec} ${process.state} ${process.description ?? ''}`.toLowerCase();
    haystacks.set(process, haystack);
  }
  return haystack;
}

/** A predicate for one filter, compiled once (it runs over 2000 rows on every change). */
export function compileFilter(filter: ProcessFilter, agents: ReadonlyMap<string, Agent>): (process: Process) => boolean {
  const hosts = values(filter.host).map(globToRegExp);
  const names = values(filter.name).map(globToRegExp);
  const tags = new Set(values(filter.tag));
  const states = new Set(values(filter.state).map((state) => state.toUpperCase()));
  const q = filter.q.trim().toLowerCase();
  return (process) => {
    if (hosts.length > 0 && !hosts.some((glob) => glob.test(process.agent))) return false;
    if (names.length > 0 && !names.some((glob) => glob.test(process.name) || glob.test(process.namespec))) return false;
    if (states.size > 0 && !states.has(process.state)) return false;
    if (tags.size > 0 && !(agents.get(process.agent)?.tags ?? []).some((tag) => tags.has(tag))) return false;
    if (q !== '' && !haystackOf(process).includes(q)) return false;
    return true;
  };
}

export function filterFromParams(params: URLSearchParams): ProcessFilter {
  return {
    host: params.get('host') ?? '',
    tag: params.get('tag') ?? '',
    state: params.get('state') ?? '',
    name: params.get('name') ?? '',
    q: params.get('q') ?? '',
  };
}
