/**
 * Operation selectors: `HOSTGLOB/NAMESPEC`, `@TAG/NAMESPEC`, or a bare
 * NAMESPEC meaning every host. NAMESPEC follows supervisorctl, with globs in
 * every part (see glob.ts):
 *
 *   all          every process of the host
 *   group:*      every process of a group (`group:` too)
 *   group:name   one process of a group
 *   name         the process `name` of the group `name` (a [program:name]),
 *                the same as `name:name`; like supervisorctl, a member of
 *                another group is not reachable this way: use `group:name`
 *                or `*:name`
 *
 * Targets carry the namespec as supervisorctl prints it (namespec.ts):
 * `web` for a plain [program:web], `group:name` otherwise.
 *
 * Selectors resolve against the agents followed and each agent's current
 * process table, so a process that appeared a moment ago may be missed and
 * a host that is offline offers only what was last seen of it.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { makeNamespec } from '../../node-agent/api/namespec.js';
import type { AgentSpec, ProcessSnapshot } from '../types.js';
import { compileGlob } from './glob.js';
import type { HostTarget, OpAction, ProcessTarget, Target } from './types.js';

export type HostPart = { kind: 'every' } | { kind: 'name'; glob: string } | { kind: 'tag'; glob: string };

export type NameSpec = { kind: 'all' } | { kind: 'process'; group: string; name: string } | { kind: 'program'; name: string };

export interface Selector {
  /** As the user wrote it. */
  text: string;
  hosts: HostPart;
  spec: NameSpec;
}

export function parseSelector(text: string): Selector {
  const bad = (why: string): FleetvisorError => new FleetvisorError('FV_OPS_BAD_SELECTOR', `selector '${text}': ${why}`);
  if (text.trim() === '') throw bad('empty');
  if (/\s/.test(text)) throw bad('contains white space');
  const parts = text.split('/');
  if (parts.length > 2) throw bad("more than one '/' (expected HOSTGLOB/NAMESPEC)");
  const [hostText, specText] = parts.length === 2 ? parts : [undefined, parts[0]];
  return { text, hosts: parseHostPart(hostText, bad), spec: parseNameSpec(specText, bad) };
}

function parseHostPart(text: string | undefined, bad: (why: string) => FleetvisorError): HostPart {
  if (text === undefined) return { kind: 'every' };
  if (text === '') throw bad("nothing before '/' (write '*/NAMESPEC' or just NAMESPEC for every host)");
  if (text.startsWith('@')) {
    const glob = text.slice(1);
    if (glob === '') throw bad("'@' without a tag name");
    return { kind: 'tag', glob: checkedGlob(glob, 'tag', bad) };
  }
  return { kind: 'name', glob: checkedGlob(text, 'host', bad) };
}

function parseNameSpec(text: string, bad: (why: string) => FleetvisorError): NameSpec {
  if (text === '') throw bad("no NAMESPEC after '/' (write 'all' for every process)");
  if (text === 'all') return { kind: 'all' };
  const colon = text.indexOf(':');
  if (colon < 0) return { kind: 'program', name: checkedGlob(text, 'name', bad) };
  const group = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (group === '') throw bad("no group before ':'");
  return { kind: 'process', group: checkedGlob(group, 'group', bad), name: name === '' ? '*' : checkedGlob(name, 'process', bad) };
}

function checkedGlob(glob: string, what: string, bad: (why: string) => FleetvisorError): string {
  const compiled = compileGlob(glob);
  if (typeof compiled === 'string') throw bad(`${what} pattern '${glob}': ${compiled}`);
  return glob;
}

/** What selectors resolve against. */
export interface SelectionSource {
  agents(): AgentSpec[];
  snapshot(agent: string): ProcessSnapshot[];
}

/**
 * Every target the selectors name, each once, ordered by agent then
 * namespec. For `update` the targets are hosts (with the groups to apply);
 * otherwise processes. Throws FV_OPS_BAD_SELECTOR or FV_OPS_NO_MATCH: a
 * selector that matches nothing is taken for a typo, not ignored.
 */
export function resolveSelectors(texts: readonly string[], source: SelectionSource, action: OpAction): Target[] {
  if (texts.length === 0) throw new FleetvisorError('FV_OPS_BAD_SELECTOR', 'no selector given');
  const selectors = texts.map(parseSelector);
  const agents = source.agents();
  return action === 'update' ? hostTargets(selectors, agents) : processTargets(selectors, agents, source);
}

export function selectAgents(hosts: HostPart, agents: readonly AgentSpec[]): AgentSpec[] {
  if (hosts.kind === 'every') return [...agents];
  const glob = compileGlob(hosts.glob) as RegExp;
  if (hosts.kind === 'name') return agents.filter((agent) => glob.test(agent.name));
  return agents.filter((agent) => agent.tags.some((tag) => glob.test(tag)));
}

export function matchesNameSpec(spec: NameSpec, group: string, name: string): boolean {
  switch (spec.kind) {
    case 'all':
      return true;
    case 'program':
      return group === name && (compileGlob(spec.name) as RegExp).test(name);
    case 'process':
      return (compileGlob(spec.group) as RegExp).test(group) && (compileGlob(spec.name) as RegExp).test(name);
  }
}

function processTargets(selectors: readonly Selector[], agents: readonly AgentSpec[], source: SelectionSource): ProcessTarget[] {
  const found = new Map<string, ProcessTarget>();
  for (const selector of selectors) {
    const hosts = requireAgents(selector, agents);
    let matched = 0;
    for (const agent of hosts) {
      for (const row of source.snapshot(agent.name)) {
        if (!matchesNameSpec(selector.spec, row.group, row.name)) continue;
        matched++;
        const namespec = makeNamespec(row.group, row.name);
        found.set(`${agent.name}\0${namespec}`, { kind: 'process', agent: agent.name, group: row.group, name: row.name, namespec });
      }
    }
    if (matched === 0) {
      const where = hosts.map((agent) => agent.name).join(', ');
      throw new FleetvisorError('FV_OPS_NO_MATCH', `selector '${selector.text}': no process matches '${specText(selector.spec)}' on ${where}`);
    }
  }
  return [...found.values()].sort(byAgentThenNamespec);
}

/** update: one target per agent, with the union of the groups asked for there. */
function hostTargets(selectors: readonly Selector[], agents: readonly AgentSpec[]): HostTarget[] {
  const groupsByAgent = new Map<string, Set<string> | 'all'>();
  for (const selector of selectors) {
    const group = updateGroup(selector);
    for (const agent of requireAgents(selector, agents)) {
      const known = groupsByAgent.get(agent.name);
      if (group === 'all' || known === 'all') groupsByAgent.set(agent.name, 'all');
      else groupsByAgent.set(agent.name, (known ?? new Set()).add(group));
    }
  }
  return [...groupsByAgent]
    .map(([agent, groups]): HostTarget => {
      const list = groups === 'all' ? [] : [...groups].sort();
      return { kind: 'host', agent, groups: list, namespec: list.length === 0 ? 'all' : list.join(' ') };
    })
    .sort(byAgentThenNamespec);
}

/** update applies whole groups: `all`, `group`, `group:` or `group:*`. */
function updateGroup(selector: Selector): string | 'all' {
  const { spec } = selector;
  if (spec.kind === 'all') return 'all';
  if (spec.kind === 'program') return spec.name === '*' ? 'all' : spec.name;
  if (spec.name === '*') return spec.group === '*' ? 'all' : spec.group;
  throw new FleetvisorError('FV_OPS_BAD_SELECTOR', `selector '${selector.text}': update applies whole groups (write '${spec.group}' or 'all')`);
}

function requireAgents(selector: Selector, agents: readonly AgentSpec[]): AgentSpec[] {
  const hosts = selectAgents(selector.hosts, agents);
  if (hosts.length > 0) return hosts;
  const { hosts: part } = selector;
  const why = part.kind === 'every' ? 'the hub follows no agent' : part.kind === 'tag' ? `no agent has a tag matching '${part.glob}'` : `no agent is named like '${part.glob}'`;
  throw new FleetvisorError('FV_OPS_NO_MATCH', `selector '${selector.text}': ${why}`);
}

function specText(spec: NameSpec): string {
  if (spec.kind === 'all') return 'all';
  if (spec.kind === 'program') return spec.name;
  return `${spec.group}:${spec.name}`;
}

function byAgentThenNamespec(a: Target, b: Target): number {
  return compare(a.agent, b.agent) || compare(a.namespec, b.namespec);
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
