/** status and pid: process information, filtered by name on the client side like supervisorctl. */
import { Faults } from '../../../node-agent/api/faults.js';
import { processStateName, STOPPED_STATES } from '../../../node-agent/api/states.js';
import type { ProcessInfo } from '../../../node-agent/api/types.js';
import type { JsonObject } from '../../output.js';
import { padRight } from '../../py-format.js';
import { words, type Command, type CommandContext } from '../command.js';
import { Exit, StatusExit } from '../exit-status.js';
import { makeNamespec, splitNamespec } from '../namespec.js';
import { asFault } from '../py-errors.js';

export function statusRow(info: ProcessInfo): JsonObject {
  return {
    name: makeNamespec(info.group, info.name),
    group: info.group,
    process: info.name,
    state: info.statename,
    statecode: info.state,
    description: info.description,
    pid: info.pid,
    start: info.start,
    stop: info.stop,
    now: info.now,
    exitstatus: info.exitstatus,
    spawnerr: info.spawnerr,
    stdout_logfile: info.stdout_logfile,
    stderr_logfile: info.stderr_logfile,
  };
}

function showStatuses(ctx: CommandContext, infos: readonly ProcessInfo[]): void {
  const namespecs = infos.map((i) => makeNamespec(i.group, i.name));
  const width = Math.max(30, ...namespecs.map((n) => [...n].length)) + 3;
  infos.forEach((info, i) => {
    ctx.out.row(`${padRight(namespecs[i], width)}${padRight(info.statename, 10)}${info.description}`, statusRow(info));
  });
}

/** The infos `names` select, reporting names that select nothing; all of them when no name or `all` is given. */
function selectInfos(ctx: CommandContext, all: ProcessInfo[], names: string[]): ProcessInfo[] {
  if (names.length === 0 || names.includes('all')) return all;
  const matching: ProcessInfo[] = [];
  for (const name of names) {
    const { group, process } = splitNamespec(name);
    const found = all.filter((i) => i.group === group && (process === undefined || i.name === process));
    matching.push(...found);
    if (found.length > 0) continue;
    const [shown, error] = process === undefined ? [group, 'no such group'] : [name, 'no such process'];
    ctx.out.row(`${shown}: ERROR (${error})`, { name: shown, ok: false, error });
    ctx.exitStatus = StatusExit.UNKNOWN;
  }
  return matching;
}

export const status: Command = {
  name: 'status',
  listed: true,
  help: [
    'status <name>\t\tGet status for a single process',
    'status <gname>:*\tGet status for all processes in a group',
    'status <name> <name>\tGet status for multiple named processes',
    'status\t\t\tGet all process status info',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) {
      // every way status fails to reach the server is LSB status "unknown"
      ctx.exitStatus = StatusExit.UNKNOWN;
      return;
    }
    const infos = selectInfos(ctx, await ctx.server.getAllProcessInfo(), words(arg));
    showStatuses(ctx, infos);
    if (infos.some((i) => STOPPED_STATES.has(processStateName(i.state)))) ctx.exitStatus = StatusExit.NOT_RUNNING;
  },
};

export const pid: Command = {
  name: 'pid',
  listed: true,
  help: [
    'pid\t\t\tGet the PID of supervisord.',
    'pid <name>\t\tGet the PID of a single child process by name.',
    'pid all\t\t\tGet the PID of every child process, one per line.',
  ],
  async run(ctx, arg) {
    if (!(await ctx.upcheck())) return;
    const names = words(arg);
    if (names.length === 0) {
      const value = await ctx.server.getPID();
      ctx.out.result(String(value), { name: 'supervisord', pid: value });
      return;
    }
    if (names.includes('all')) {
      for (const info of await ctx.server.getAllProcessInfo()) {
        ctx.out.row(String(info.pid), { name: makeNamespec(info.group, info.name), pid: info.pid });
      }
      return;
    }
    for (const name of names) {
      let info: ProcessInfo;
      try {
        info = await ctx.server.getProcessInfo(name);
      } catch (err) {
        ctx.exitStatus = Exit.GENERIC;
        if (asFault(err)?.faultCode !== Faults.BAD_NAME) throw err;
        ctx.out.row(`No such process ${name}`, { name, ok: false, error: 'no such process' });
        continue;
      }
      ctx.out.row(String(info.pid), { name, pid: info.pid });
      if (info.pid === 0) ctx.exitStatus = Exit.NOT_RUNNING;
    }
  },
};
