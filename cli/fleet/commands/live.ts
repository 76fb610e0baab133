/**
 * Live views through the hub: `tail [-f] HOST/NAME [stdout|stderr]` (a
 * process's log, relayed by the hub from its agent) and `events -f
 * [filters]` (the fleet's live event feed; without -f, the same as history).
 */
import { FleetvisorError } from '../../../node-agent/api/errors.js';
import { integerOption, parseCommandArgs } from '../command-args.js';
import { Exit, jsonLine, wantsJson, type FleetCommand } from '../context.js';
import { HubError } from '../hub-client.js';
import { parseProcessRef } from '../selectors.js';
import type { HubEventView } from '../types.js';
import { eventDetails, eventName, historyCommand, processLabel } from './history.js';
import { formatTime, paint, stateColour } from '../format.js';

export const tailCommand: FleetCommand = {
  name: 'tail',
  usage: 'tail [-f] [--bytes N] HOST/NAME [stdout|stderr]',
  async run(ctx) {
    const args = parseCommandArgs('tail', [{ long: 'follow', short: 'f', takesValue: false }, { long: 'bytes', takesValue: true }], ctx.argv);
    const [target, channelWord, extra] = args.positional;
    const ref = parseProcessRef('tail', target);
    const channel = channelWord ?? 'stdout';
    if ((channel !== 'stdout' && channel !== 'stderr') || extra !== undefined) throw new FleetvisorError('FV_USAGE', 'tail: expected HOST/NAME [stdout|stderr]');
    const path = `/api/v1/processes/${encodeURIComponent(ref.host)}/${encodeURIComponent(ref.namespec)}/log`;
    const json = wantsJson(ctx, args);
    if (!args.has('follow')) {
      const bytes = integerOption('tail', 'bytes', args.last('bytes')) ?? 1600;
      const answer = await ctx.hub.get<{ data: string; offset: number; overflow: boolean }>(path, { channel, bytes });
      if (json) jsonLine(ctx.io, answer);
      else ctx.io.stdout(answer.data);
      return Exit.OK;
    }
    const stream = await ctx.hub.stream(`${path}/stream`, { query: { channel } });
    for await (const message of stream) {
      const data = JSON.parse(message.data) as { data?: string; reason?: string };
      if (message.event === 'log') {
        if (json) jsonLine(ctx.io, { data: data.data ?? '' });
        else ctx.io.stdout(data.data ?? '');
      } else if (message.event === 'end') {
        if (json) jsonLine(ctx.io, { end: data.reason ?? '' });
        else ctx.io.stderr(`\n==> the log stream ended: ${data.reason ?? 'no reason given'}\n`);
        return Exit.OK;
      }
    }
    throw new HubError('FV_CLI_STREAM_LOST', `the hub closed the log stream of ${ref.host}/${ref.namespec}`, 0);
  },
};

const RECONNECT_MS = 1000;
const MAX_RECONNECTS = 30;

export const eventsCommand: FleetCommand = {
  name: 'events',
  usage: 'events -f [--host GLOB] [--tag TAG] [--process [GROUP:]NAME] [--type TYPE] (without -f: history)',
  async run(ctx) {
    const follow = ctx.argv.includes('-f') || ctx.argv.includes('--follow');
    if (!follow) return historyCommand.run(ctx);
    const args = parseCommandArgs('events', [
      { long: 'follow', short: 'f', takesValue: false },
      { long: 'host', takesValue: true },
      { long: 'tag', takesValue: true },
      { long: 'group', takesValue: true },
      { long: 'process', takesValue: true },
      { long: 'type', takesValue: true },
    ], ctx.argv);
    if (args.positional.length > 0) throw new FleetvisorError('FV_USAGE', `events: unexpected '${args.positional[0]}'`);
    const groups = [...args.all('group')];
    const processes = args.all('process').map((text) => {
      const colon = text.indexOf(':');
      if (colon < 0) return text;
      groups.push(text.slice(0, colon));
      return text.slice(colon + 1) || '*';
    });
    const types = args.all('type').map((t) => (/^[A-Z]+$/.test(t) && !t.startsWith('PROCESS_') && !t.startsWith('HUB_') ? `PROCESS_STATE_${t}` : t));
    const query = { host: args.all('host'), tag: args.all('tag'), group: groups, process: processes, type: types, kind: ['hub-event'] };
    const json = wantsJson(ctx, args);
    let lastId: string | undefined;
    // The hub drops a client that falls far behind; reconnect and let it replay from the last id seen.
    for (let attempt = 0; attempt <= MAX_RECONNECTS; attempt++) {
      try {
        const stream = await ctx.hub.stream('/api/v1/stream', { query, ...(lastId !== undefined ? { lastEventId: lastId } : {}) });
        attempt = 0;
        for await (const message of stream) {
          if (message.event !== 'hub-event') continue;
          if (message.id !== undefined) lastId = message.id;
          const event = JSON.parse(message.data) as HubEventView;
          if (json) jsonLine(ctx.io, event);
          else ctx.io.stdout(`${eventLine(event, ctx.io.colour)}\n`);
        }
      } catch (err) {
        // Refusals (401, 400 …) end the command; a lost connection is retried.
        if (err instanceof HubError && err.status !== 0) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
    throw new HubError('FV_CLI_STREAM_LOST', 'lost the live feed and could not reconnect', 0);
  },
};

function eventLine(event: HubEventView, colour: boolean): string {
  const name = eventName(event);
  return [formatTime(event.time), event.agent, processLabel(event), paint(name, stateColour(name), colour), eventDetails(event)].join('  ').trimEnd();
}
