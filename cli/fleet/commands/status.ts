/**
 * `status [SELECTOR…] [--state S] [--host GLOB] [--tag T]`: the fleet's
 * process table in one view, host first, sorted by host then namespec, with
 * a summary line (hosts online/offline, processes by state).
 */
import { makeNamespec } from '../../../node-agent/api/namespec.js';
import { parseCommandArgs } from '../command-args.js';
import { Exit, jsonLine, lines, wantsJson, type CommandContext, type FleetCommand } from '../context.js';
import { paint, stateColour, table } from '../format.js';
import { agentSelected, selectorFilter, type ProcessFilter } from '../selectors.js';
import { HubError } from '../hub-client.js';
import type { AgentView, ProcessRow, ProcessesAnswer } from '../types.js';

export interface StatusDocument {
  processes: ProcessRow[];
  hosts: { online: number; offline: number; total: number; offlineHosts: string[] };
  states: Record<string, number>;
}

export const statusCommand: FleetCommand = {
  name: 'status',
  usage: 'status [SELECTOR…] [--state STATE] [--host GLOB] [--tag TAG]',
  async run(ctx) {
    const args = parseCommandArgs('status', [
      { long: 'state', takesValue: true },
      { long: 'host', takesValue: true },
      { long: 'tag', takesValue: true },
    ], ctx.argv);
    const states = args.all('state').map((s) => s.toUpperCase());
    const document = await fleetStatus(ctx, args.positional, { states, hosts: args.all('host'), tags: args.all('tag') });
    if (args.positional.length > 0 && states.length === 0 && document.processes.length === 0) {
      throw new HubError('FV_CLI_NO_MATCH', `no process matches ${args.positional.join(' ')}`, 0);
    }
    if (wantsJson(ctx, args)) jsonLine(ctx.io, document);
    else lines(ctx.io, renderStatus(document, ctx.io.colour));
    return document.processes.every((p) => p.state === 'RUNNING') ? Exit.OK : Exit.NOT_RUNNING;
  },
};

interface StatusFilters {
  states: string[];
  hosts: string[];
  tags: string[];
}

export async function fleetStatus(ctx: CommandContext, selectors: readonly string[], filters: StatusFilters): Promise<StatusDocument> {
  const selectorFilters: ProcessFilter[] = selectors.length === 0 ? [{}] : selectors.map(selectorFilter);
  const agentsAnswer = ctx.hub.get<AgentView[]>('/api/v1/agents');
  const answers = await Promise.all(
    selectorFilters.map((f) =>
      ctx.hub.get<ProcessesAnswer>('/api/v1/processes', {
        host: f.host !== undefined ? [f.host] : filters.hosts,
        tag: f.tag !== undefined ? [f.tag] : filters.tags,
        group: f.group,
        name: f.name,
        state: filters.states,
      }),
    ),
  );
  const agents = await agentsAnswer;
  const seen = new Set<string>();
  const processes: ProcessRow[] = [];
  for (const answer of answers) {
    for (const row of answer.processes) {
      // A selector's own host part does not replace the --host/--tag filters: apply them here too.
      const key = `${row.agent}\u0000${row.group}\u0000${row.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Derived here too, so the names follow supervisorctl's rule whatever the hub's version.
      processes.push({ ...row, namespec: makeNamespec(row.group, row.name) });
    }
  }
  const agentByName = new Map(agents.map((a) => [a.name, a]));
  const kept = processes.filter((row) => {
    const agent = agentByName.get(row.agent) ?? { name: row.agent, tags: [] };
    return agentSelected(agent, {}, filters.hosts, filters.tags);
  });
  kept.sort((a, b) => (a.agent === b.agent ? compare(a.namespec, b.namespec) : compare(a.agent, b.agent)));
  const states: Record<string, number> = {};
  for (const row of kept) states[row.state] = (states[row.state] ?? 0) + 1;
  const selected = agents.filter((agent) => selectorFilters.some((f) => agentSelected(agent, f, filters.hosts, filters.tags)));
  const offlineHosts = selected.filter((a) => a.health.state !== 'online').map((a) => a.name).sort(compare);
  return {
    processes: kept,
    hosts: { online: selected.length - offlineHosts.length, offline: offlineHosts.length, total: selected.length, offlineHosts },
    states,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The hub stores a row's description as of its last change, so a RUNNING
 * row's uptime would be frozen: recompute it from `start` as supervisord
 * words it (`pid 4242, uptime 1:02:03`, `2 days, 1:02:03` past a day).
 */
export function liveDescription(row: ProcessRow, nowMs: number): string {
  if (row.state !== 'RUNNING' || row.pid <= 0 || row.start <= 0) return row.description;
  const total = Math.max(0, Math.floor(nowMs / 1000) - row.start);
  const days = Math.floor(total / 86_400);
  const rest = total % 86_400;
  const clock = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return `pid ${row.pid}, uptime ${days > 0 ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${clock}`;
}

export function renderStatus(doc: StatusDocument, colour: boolean, now: number = Date.now()): string[] {
  const offline = new Set(doc.hosts.offlineHosts);
  const rows = doc.processes.map((p) => [
    offline.has(p.agent) ? `${p.agent} (offline)` : p.agent,
    p.namespec,
    paint(p.state, stateColour(p.state), colour),
    liveDescription(p, now),
  ]);
  const out = rows.length > 0 ? table(rows, ['HOST', 'PROCESS', 'STATE', 'DESCRIPTION']) : ['no process matches'];
  out.push('', summaryLine(doc, colour));
  return out;
}

export function summaryLine(doc: StatusDocument, colour: boolean): string {
  const { online, offline, total, offlineHosts } = doc.hosts;
  const hostText = `${total} host${total === 1 ? '' : 's'}: ${paint(`${online} online`, online > 0 ? 'green' : undefined, colour)}, ` +
    `${paint(`${offline} offline`, offline > 0 ? 'red' : undefined, colour)}${offline > 0 ? ` (${offlineHosts.join(', ')})` : ''}`;
  const count = doc.processes.length;
  const states = Object.entries(doc.states)
    .sort(([a], [b]) => compare(a, b))
    .map(([state, n]) => `${n} ${paint(state, stateColour(state), colour)}`)
    .join(', ');
  return `${hostText}; ${count} process${count === 1 ? '' : 'es'}${count > 0 ? `: ${states}` : ''}`;
}
