/**
 * `hosts` (every agent with its health, version, latency and last contact),
 * `hosts add NAME URL [--tag T]… [--username U] [--password P]`,
 * `hosts remove NAME`.
 */
import { FleetvisorError } from '../../../node-agent/api/errors.js';
import { parseCommandArgs } from '../command-args.js';
import { Exit, jsonLine, lines, wantsJson, type CommandContext, type FleetCommand } from '../context.js';
import { formatAgo, paint, stateColour, table } from '../format.js';
import type { AgentView } from '../types.js';

export const hostsCommand: FleetCommand = {
  name: 'hosts',
  usage: 'hosts | hosts add NAME URL [--tag TAG]… [--username U --password P] | hosts remove NAME',
  async run(ctx) {
    const args = parseCommandArgs('hosts', [
      { long: 'tag', takesValue: true },
      { long: 'username', short: 'u', takesValue: true },
      { long: 'password', short: 'p', takesValue: true },
    ], ctx.argv);
    const [sub, ...rest] = args.positional;
    const json = wantsJson(ctx, args);
    if (sub === undefined || sub === 'list') return listHosts(ctx, json);
    if (sub === 'add') {
      const [name, url, extra] = rest;
      if (name === undefined || url === undefined || extra !== undefined) throw new FleetvisorError('FV_USAGE', 'hosts add: expected NAME URL');
      const body: Record<string, unknown> = { name, url, tags: args.all('tag').flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t !== '') };
      if (args.has('username')) body.username = args.last('username');
      if (args.has('password')) body.password = args.last('password');
      const agent = await ctx.hub.post<AgentView>('/api/v1/agents', body);
      if (json) jsonLine(ctx.io, agent);
      else lines(ctx.io, [`added ${agent.name} (${agent.url})${agent.tags.length > 0 ? ` tags ${agent.tags.join(', ')}` : ''}`]);
      return Exit.OK;
    }
    if (sub === 'remove') {
      const [name, extra] = rest;
      if (name === undefined || extra !== undefined) throw new FleetvisorError('FV_USAGE', 'hosts remove: expected NAME');
      await ctx.hub.delete(`/api/v1/agents/${encodeURIComponent(name)}`);
      if (json) jsonLine(ctx.io, { removed: name });
      else lines(ctx.io, [`removed ${name} (its history stays)`]);
      return Exit.OK;
    }
    throw new FleetvisorError('FV_USAGE', `hosts: unknown subcommand '${sub}' (expected add or remove)`);
  },
};

async function listHosts(ctx: CommandContext, json: boolean): Promise<number> {
  const agents = await ctx.hub.get<AgentView[]>('/api/v1/agents');
  agents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (json) {
    jsonLine(ctx.io, agents);
    return Exit.OK;
  }
  const now = Date.now();
  const rows = agents.map((a) => [
    a.name,
    paint(a.health.state, stateColour(a.health.state), ctx.io.colour),
    a.health.kind,
    a.health.version ?? '-',
    a.health.latencyMs !== undefined ? `${Math.round(a.health.latencyMs)}ms` : '-',
    formatAgo(a.health.lastContact, now),
    a.tags.length > 0 ? a.tags.join(',') : '-',
    a.health.error !== undefined ? `${a.url}  (${a.health.error})` : a.url,
  ]);
  lines(ctx.io, rows.length === 0 ? ['the hub follows no host yet (hosts add NAME URL)'] : table(rows, ['HOST', 'HEALTH', 'KIND', 'VERSION', 'LATENCY', 'LAST CONTACT', 'TAGS', 'URL']));
  return Exit.OK;
}
