/**
 * The fleet's history from the hub's store: `history` (events), `summary`
 * (restarts, crashes, uptime, MTBF per process), `flapping`, and `crash
 * HOST/NAME` (the last crashes with the log lines saved when they happened).
 */
import { makeNamespec } from '../../../node-agent/api/namespec.js';
import { integerOption, parseCommandArgs, type CommandArgs } from '../command-args.js';
import { Exit, jsonLine, lines, wantsJson, type FleetCommand } from '../context.js';
import { formatDuration, formatTime, paint, stateColour, table } from '../format.js';
import type { Query } from '../hub-client.js';
import { parseProcessRef } from '../selectors.js';
import type { EventPage, FlappingList, HubEventView, SummaryRow } from '../types.js';
import { eventDetailsText } from '../../../hub/api/event-text.js';

const FILTERS = [
  { long: 'since', takesValue: true },
  { long: 'until', takesValue: true },
  { long: 'host', takesValue: true },
  { long: 'tag', takesValue: true },
  { long: 'group', takesValue: true },
  { long: 'process', takesValue: true },
] as const;

/** --process accepts `name` or `group:name`. */
function selectorQuery(args: CommandArgs): Query {
  const groups = [...args.all('group')];
  const processes: string[] = [];
  for (const text of args.all('process')) {
    const colon = text.indexOf(':');
    if (colon < 0) processes.push(text);
    else {
      groups.push(text.slice(0, colon));
      processes.push(text.slice(colon + 1) || '*');
    }
  }
  return { host: args.all('host'), tag: args.all('tag'), group: groups, process: processes };
}

const timeQuery = (args: CommandArgs): Query => ({ since: args.last('since'), until: args.last('until') });

export const historyCommand: FleetCommand = {
  name: 'history',
  usage: 'history [--since 2h|TIME] [--until TIME] [--host GLOB] [--tag TAG] [--process [GROUP:]NAME] [--type TYPE] [--limit N]',
  async run(ctx) {
    const args = parseCommandArgs('history', [...FILTERS, { long: 'type', takesValue: true }, { long: 'limit', takesValue: true }], ctx.argv);
    const limit = integerOption('history', 'limit', args.last('limit')) ?? 50;
    const types = args.all('type').map((t) => (/^[A-Z]+$/.test(t) && !t.startsWith('PROCESS_') && !t.startsWith('HUB_') ? `PROCESS_STATE_${t}` : t));
    const page = await ctx.hub.get<EventPage>('/api/v1/events', { ...selectorQuery(args), ...timeQuery(args), type: types, limit, order: 'desc' });
    // Newest N, shown oldest first.
    const events = [...page.events].reverse();
    if (wantsJson(ctx, args)) jsonLine(ctx.io, { events, ...(page.next !== undefined ? { next: page.next } : {}) });
    else lines(ctx.io, events.length === 0 ? ['no event matches'] : renderEvents(events, ctx.io.colour));
    return Exit.OK;
  },
};

export function processLabel(event: Pick<HubEventView, 'group' | 'process'>): string {
  if (event.process === undefined || event.process === '') return '-';
  return event.group === undefined ? event.process : makeNamespec(event.group, event.process);
}

/** `RUNNING` for a state change, the type without PROCESS_ otherwise. */
export function eventName(event: Pick<HubEventView, 'type'>): string {
  if (event.type.startsWith('PROCESS_STATE_')) return event.type.slice('PROCESS_STATE_'.length);
  return event.type.replace(/^PROCESS_/, '');
}

export function eventDetails(event: HubEventView): string {
  const parts: string[] = [];
  if (event.fromState !== undefined) parts.push(`from ${event.fromState}`);
  if (event.pid !== undefined && event.pid !== 0) parts.push(`pid ${event.pid}`);
  if (event.exitStatus !== undefined) parts.push(`exit ${event.exitStatus}`);
  if (event.expected !== undefined && event.type === 'PROCESS_STATE_EXITED') parts.push(event.expected ? 'expected' : 'unexpected');
  if (event.spawnErr) parts.push(event.spawnErr);
  const details = eventDetailsText(event);
  if (details !== undefined) parts.push(details);
  if (event.observed) parts.push('(observed)');
  return parts.join(', ');
}

export function renderEvents(events: readonly HubEventView[], colour: boolean): string[] {
  const rows = events.map((e) => {
    const name = eventName(e);
    return [formatTime(e.time), e.agent, processLabel(e), paint(name, stateColour(name), colour), eventDetails(e)];
  });
  return table(rows, ['TIME', 'HOST', 'PROCESS', 'EVENT', 'DETAILS']);
}

export const summaryCommand: FleetCommand = {
  name: 'summary',
  usage: 'summary [--since 24h|TIME] [--until TIME] [--host GLOB] [--tag TAG] [--process [GROUP:]NAME] [--fleet]',
  async run(ctx) {
    const args = parseCommandArgs('summary', [...FILTERS, { long: 'fleet', takesValue: false }], ctx.argv);
    const answer = await ctx.hub.get<{ from: number; to: number; rows: SummaryRow[] }>('/api/v1/summary', {
      ...selectorQuery(args),
      ...timeQuery(args),
      by: args.has('fleet') ? 'fleet' : 'host',
    });
    if (wantsJson(ctx, args)) {
      jsonLine(ctx.io, answer);
      return Exit.OK;
    }
    const rows = answer.rows.map((r) => [
      r.agent ?? `${r.agents.length} hosts`,
      makeNamespec(r.group, r.process),
      String(r.starts),
      String(r.unexpectedExits),
      String(r.fatals),
      r.uptimePct === null ? '-' : `${r.uptimePct.toFixed(1)}%`,
      r.mtbfSeconds === null ? '-' : formatDuration(r.mtbfSeconds),
      r.lastExit !== undefined ? formatTime(r.lastExit.time) : '-',
    ]);
    lines(ctx.io, [
      `from ${formatTime(answer.from)} to ${formatTime(answer.to)}`,
      ...(rows.length === 0 ? ['no process matches'] : table(rows, ['HOST', 'PROCESS', 'STARTS', 'CRASHES', 'FATALS', 'UPTIME', 'MTBF', 'LAST EXIT'])),
    ]);
    return Exit.OK;
  },
};

export const flappingCommand: FleetCommand = {
  name: 'flapping',
  usage: 'flapping [--host GLOB] [--tag TAG] [--process [GROUP:]NAME]',
  async run(ctx) {
    const args = parseCommandArgs('flapping', FILTERS.slice(2), ctx.argv);
    const answer = await ctx.hub.get<FlappingList>('/api/v1/flapping', selectorQuery(args));
    if (wantsJson(ctx, args)) {
      jsonLine(ctx.io, answer);
      return Exit.OK;
    }
    const head = `flapping: ${answer.count} or more unexpected exits within ${answer.minutes} minutes`;
    const rows = answer.processes.map((p) => [
      p.agent,
      makeNamespec(p.group, p.process),
      String(p.exits),
      p.firstExit !== undefined ? formatTime(p.firstExit) : '-',
      formatTime(p.lastExit),
    ]);
    lines(ctx.io, [head, ...(rows.length === 0 ? ['no process is flapping'] : table(rows, ['HOST', 'PROCESS', 'EXITS', 'FIRST EXIT', 'LAST EXIT']))]);
    return Exit.OK;
  },
};

export const crashCommand: FleetCommand = {
  name: 'crash',
  usage: 'crash HOST/NAME [--limit N] [--since TIME]',
  async run(ctx) {
    const args = parseCommandArgs('crash', [{ long: 'limit', takesValue: true }, { long: 'since', takesValue: true }], ctx.argv);
    const ref = parseProcessRef('crash', args.positional[0]);
    const limit = integerOption('crash', 'limit', args.last('limit')) ?? 3;
    const page = await ctx.hub.get<EventPage>('/api/v1/crashes', { host: [ref.host], group: [ref.group], process: [ref.name], since: args.last('since'), limit });
    if (wantsJson(ctx, args)) {
      jsonLine(ctx.io, page);
      return Exit.OK;
    }
    if (page.events.length === 0) {
      lines(ctx.io, [`no crash of ${ref.host}/${ref.namespec} on record`]);
      return Exit.OK;
    }
    const out: string[] = [];
    for (const event of page.events) {
      const name = eventName(event);
      out.push(`${paint(`== ${formatTime(event.time)} ${event.agent}/${processLabel(event)} ${name}`, 'bold', ctx.io.colour)} ${eventDetails(event)}`);
      for (const [channel, text] of [['stdout', event.crashStdout], ['stderr', event.crashStderr]] as const) {
        if (text === undefined || text === '') continue;
        out.push(`-- last ${channel} lines --`, ...text.replace(/\n$/, '').split('\n'));
      }
      out.push('');
    }
    lines(ctx.io, out.slice(0, -1));
    return Exit.OK;
  },
};
