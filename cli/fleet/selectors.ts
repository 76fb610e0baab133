/**
 * The hub's selectors (`HOSTGLOB/NAMESPEC`, `@tag/NAMESPEC`, bare NAMESPEC
 * for every host) turned into /processes filters, for `status`; operations
 * send the selector text to the hub unchanged.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { makeNamespec, splitNamespec } from '../../node-agent/api/namespec.js';
import { globRegExp } from './format.js';

export interface ProcessFilter {
  host?: string;
  tag?: string;
  group?: string;
  name?: string;
}

export function selectorFilter(text: string): ProcessFilter {
  const bad = (why: string): FleetvisorError => new FleetvisorError('FV_USAGE', `selector '${text}': ${why}`);
  const parts = text.split('/');
  if (parts.length > 2) throw bad("more than one '/' (expected HOSTGLOB/NAMESPEC)");
  const [hostPart, spec] = parts.length === 2 ? parts : [undefined, parts[0]];
  const filter: ProcessFilter = {};
  if (hostPart !== undefined) {
    if (hostPart === '' || hostPart === '@') throw bad("nothing before '/' (write '*/NAMESPEC' or just NAMESPEC)");
    if (hostPart.startsWith('@')) filter.tag = hostPart.slice(1);
    else if (hostPart !== '*') filter.host = hostPart;
  }
  if (spec === '') throw bad("no NAMESPEC after '/' (write 'all' for every process)");
  if (spec === 'all') return filter;
  const colon = spec.indexOf(':');
  if (colon < 0) {
    filter.group = spec;
    filter.name = spec;
    return filter;
  }
  if (colon === 0) throw bad("no group before ':'");
  filter.group = spec.slice(0, colon);
  const name = spec.slice(colon + 1);
  if (name !== '' && name !== '*') filter.name = name;
  return filter;
}

export interface AgentLike {
  name: string;
  tags: string[];
}

/** Does the selector's host part (and the --host/--tag filters) take this agent? */
export function agentSelected(agent: AgentLike, filter: ProcessFilter, hosts: readonly string[], tags: readonly string[]): boolean {
  if (filter.host !== undefined && !globRegExp(filter.host).test(agent.name)) return false;
  if (filter.tag !== undefined && !agent.tags.some((tag) => globRegExp(filter.tag!).test(tag))) return false;
  if (hosts.length > 0 && !hosts.some((glob) => globRegExp(glob).test(agent.name))) return false;
  if (tags.length > 0 && !tags.some((tag) => agent.tags.includes(tag))) return false;
  return true;
}

/**
 * `HOST/group:name` or `HOST/name` (the same as `HOST/name:name`) → the parts;
 * for commands naming one process (tail, crash). `HOST/group:*` names every
 * process of the group: name is then `*`. namespec is as supervisorctl prints it.
 */
export function parseProcessRef(command: string, text: string | undefined): { host: string; group: string; name: string; namespec: string } {
  const slash = text?.indexOf('/') ?? -1;
  if (text === undefined || slash <= 0 || slash === text.length - 1) {
    throw new FleetvisorError('FV_USAGE', `${command}: expected HOST/NAME or HOST/GROUP:NAME, got '${text ?? ''}'`);
  }
  const host = text.slice(0, slash);
  const { group, process } = splitNamespec(text.slice(slash + 1));
  if (group === '') throw new FleetvisorError('FV_USAGE', `${command}: no group before ':' in '${text}'`);
  const name = process ?? '*';
  return { host, group, name, namespec: process === undefined ? `${group}:*` : makeNamespec(group, process) };
}
