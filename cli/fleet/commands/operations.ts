/**
 * `start|stop|restart|clear SELECTOR…` and `signal SIG SELECTOR…`: one
 * operation on the hub, followed live through its event stream until done.
 * Ctrl-C asks the hub to cancel it (a second Ctrl-C stops waiting).
 */
import { FleetvisorError } from '../../../node-agent/api/errors.js';
import { integerOption, parseCommandArgs, secondsOption } from '../command-args.js';
import { Exit, wantsJson, type CommandContext, type FleetCommand } from '../context.js';
import { HubError } from '../hub-client.js';
import { OperationView } from '../progress.js';
import type { OpAction, OperationAccepted, ProgressMessage } from '../types.js';

const OPTIONS = [
  { long: 'rolling', takesValue: false },
  { long: 'batch', takesValue: true },
  { long: 'wait', takesValue: true },
  { long: 'health', takesValue: true },
  { long: 'health-timeout', takesValue: true },
  { long: 'pause', takesValue: true },
  { long: 'parallel', takesValue: true },
  { long: 'keep-going', takesValue: false },
  { long: 'stop-on-failure', takesValue: false },
] as const;

/** The operations fleet mode has commands for. */
type Action = Extract<OpAction, 'start' | 'stop' | 'restart' | 'signal' | 'clear'>;

function operationCommand(action: Action, usage: string): FleetCommand {
  return { name: action, usage, run: (ctx) => runOperation(ctx, action) };
}

export const operationCommands: FleetCommand[] = [
  operationCommand('start', 'start SELECTOR… [--rolling] [--batch N|P%] [--wait SECONDS] [--health URL] [--parallel N]'),
  operationCommand('stop', 'stop SELECTOR… [--rolling] [--batch N|P%] [--parallel N]'),
  operationCommand('restart', 'restart SELECTOR… [--rolling] [--batch N|P%] [--wait SECONDS] [--health URL] [--parallel N]'),
  operationCommand('signal', 'signal SIG SELECTOR… [--rolling] [--batch N|P%] [--parallel N]'),
  operationCommand('clear', 'clear SELECTOR… (clears the processes\' logs)'),
];

export function operationBody(action: Action, ctx: CommandContext): { body: Record<string, unknown>; json: boolean } {
  const args = parseCommandArgs(action, OPTIONS, ctx.argv);
  const words = [...args.positional];
  const body: Record<string, unknown> = { action };
  if (action === 'signal') {
    const signal = words.shift();
    if (signal === undefined) throw new FleetvisorError('FV_USAGE', 'signal: expected SIG SELECTOR…');
    body.signal = signal;
  }
  if (words.length === 0) throw new FleetvisorError('FV_USAGE', `${action}: name at least one SELECTOR (HOSTGLOB/NAMESPEC, @tag/NAMESPEC or NAMESPEC; 'all' for everything)`);
  body.selectors = words;
  const batch = args.last('batch');
  const rolling = args.has('rolling') || batch !== undefined || args.has('pause');
  body.mode = rolling ? 'rolling' : 'parallel';
  if (batch !== undefined) {
    if (!/^\d+%?$/.test(batch) || /^0+%?$/.test(batch)) throw new FleetvisorError('FV_USAGE', `${action}: --batch '${batch}' is not N or P%`);
    body.batch = batch.endsWith('%') ? batch : Number(batch);
  }
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) body[key] = value;
  };
  set('parallel', integerOption(action, 'parallel', args.last('parallel')));
  set('waitSeconds', secondsOption(action, 'wait', args.last('wait')));
  set('healthUrl', args.last('health'));
  set('healthTimeoutSeconds', secondsOption(action, 'health-timeout', args.last('health-timeout')));
  set('pauseSeconds', secondsOption(action, 'pause', args.last('pause')));
  if (args.has('keep-going')) body.stopOnFailure = false;
  if (args.has('stop-on-failure')) body.stopOnFailure = true;
  return { body, json: wantsJson(ctx, args) };
}

async function runOperation(ctx: CommandContext, action: Action): Promise<number> {
  const { body, json } = operationBody(action, ctx);
  const started = await ctx.hub.post<OperationAccepted>('/api/v1/operations', body);
  const view = new OperationView(ctx.io, { json, colour: ctx.io.colour, mode: body.mode as string, action });
  view.started(started);

  const aborter = new AbortController();
  let interrupts = 0;
  const removeInterrupt = ctx.io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      view.note(`cancelling operation ${started.id} (Ctrl-C again to stop waiting)`);
      ctx.hub.post(`/api/v1/operations/${started.id}/cancel`).catch((err: unknown) => {
        view.note(`cancel failed: ${(err as Error).message}`);
      });
    } else aborter.abort();
  });
  let done: Extract<ProgressMessage, { type: 'done' }> | undefined;
  try {
    const stream = await ctx.hub.stream(`/api/v1/operations/${started.id}/events`, { signal: aborter.signal });
    for await (const message of stream) {
      const progress = { type: message.event, ...(JSON.parse(message.data) as object) } as ProgressMessage;
      view.progress(progress);
      if (progress.type === 'done') {
        done = progress;
        break;
      }
    }
  } catch (err) {
    if (!aborter.signal.aborted) throw err;
  } finally {
    removeInterrupt();
    view.close();
  }
  if (done === undefined) {
    if (aborter.signal.aborted) {
      ctx.io.stderr(`stopped waiting; operation ${started.id} may still run on the hub (fleetvisorctl … history, or the web view)\n`);
      return Exit.FAILED;
    }
    throw new HubError('FV_CLI_BAD_ANSWER', `the hub ended operation ${started.id}'s progress stream before it was done`, 0);
  }
  return done.status === 'succeeded' && done.counts.failed === 0 ? Exit.OK : Exit.FAILED;
}
