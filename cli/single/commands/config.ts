/** avail, reread, update, add, remove: the daemon's configuration versus what runs. */
import { Faults } from '../../../node-agent/api/faults.js';
import type { ConfigInfo } from '../../../node-agent/api/types.js';
import type { JsonObject } from '../../output.js';
import { padRight } from '../../py-format.js';
import { words, type Command, type CommandContext } from '../command.js';
import { Exit } from '../exit-status.js';
import { makeNamespec } from '../namespec.js';
import { asFault } from '../py-errors.js';

/** `Error: <cmd> accepts no arguments` + help, exit 1; true when the command should stop. */
export function rejectArguments(ctx: CommandContext, command: string, arg: string): boolean {
  if (arg === '') return false;
  ctx.out.fail(`Error: ${command} accepts no arguments`);
  ctx.exitStatus = Exit.GENERIC;
  ctx.showHelp(command);
  return true;
}

function availRow(info: ConfigInfo): [string, JsonObject] {
  const name = makeNamespec(info.group, info.name);
  const inuse = info.inuse ? 'in use' : 'avail';
  const autostart = info.autostart ? 'auto' : 'manual';
  const priority = `${info.group_prio}:${info.process_prio}`;
  const text = `${padRight(name, 32)} ${padRight(inuse, 9)} ${padRight(autostart, 9)} ${priority}`;
  return [
    text,
    {
      name,
      group: info.group,
      process: info.name,
      inuse: Boolean(info.inuse),
      autostart: Boolean(info.autostart),
      group_prio: info.group_prio,
      process_prio: info.process_prio,
    },
  ];
}

/** A SHUTDOWN_STATE fault becomes `message`; others propagate. Exit status 1 either way. */
function shuttingDown(ctx: CommandContext, err: unknown, message: string): void {
  ctx.exitStatus = Exit.GENERIC;
  if (asFault(err)?.faultCode !== Faults.SHUTDOWN_STATE) throw err;
  ctx.out.fail(message);
}

export const avail: Command = {
  name: 'avail',
  listed: true,
  help: ['avail\t\t\tDisplay all configured processes'],
  async run(ctx, arg) {
    if (rejectArguments(ctx, 'avail', arg)) return;
    let infos: ConfigInfo[];
    try {
      infos = await ctx.server.getAllConfigInfo();
    } catch (err) {
      return shuttingDown(ctx, err, 'ERROR: supervisor shutting down');
    }
    for (const info of infos) ctx.out.row(...availRow(info));
  },
};

type Changes = [string[], string[], string[]];

export const reread: Command = {
  name: 'reread',
  listed: true,
  help: ["reread \t\t\tReload the daemon's configuration files without add/remove"],
  async run(ctx, arg) {
    if (rejectArguments(ctx, 'reread', arg)) return;
    let changes: Changes;
    try {
      changes = (await ctx.server.reloadConfig())[0];
    } catch (err) {
      if (asFault(err)?.faultCode === Faults.CANT_REREAD) {
        ctx.exitStatus = Exit.GENERIC;
        ctx.out.fail(`ERROR: ${asFault(err)!.faultString}`);
        return;
      }
      return shuttingDown(ctx, err, 'ERROR: supervisor shutting down');
    }
    const [added, changed, removed] = changes;
    const kinds = new Map<string, string>();
    for (const [names, kind] of [
      [added, 'available'],
      [changed, 'changed'],
      [removed, 'disappeared'],
    ] as const) {
      for (const name of names) kinds.set(name, kind);
    }
    const value = { added, changed, removed };
    if (kinds.size === 0) {
      ctx.out.result('No config updates to processes', value);
      return;
    }
    // Python's sort of str: by code point
    const lines = [...kinds.keys()].sort(byCodePoint).map((name) => `${name}: ${kinds.get(name)}`);
    ctx.out.result(lines.join('\n'), value);
  },
};

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const update: Command = {
  name: 'update',
  listed: true,
  help: [
    'update\t\t\tReload config and add/remove as necessary, and will restart affected programs',
    'update all\t\tReload config and add/remove as necessary, and will restart affected programs',
    'update <gname> [...]\tUpdate specific groups',
  ],
  async run(ctx, arg) {
    const log = (group: string, action: string): void => ctx.out.row(`${group}: ${action}`, { group, action, ok: true });
    let changes: Changes;
    try {
      changes = (await ctx.server.reloadConfig())[0];
    } catch (err) {
      return shuttingDown(ctx, err, 'ERROR: already shutting down');
    }
    const [added, changed, removed] = changes;
    let wanted = new Set(words(arg));
    if (wanted.has('all')) wanted = new Set();
    const selected = (group: string): boolean => wanted.size === 0 || wanted.has(group);

    if (wanted.size > 0) {
      const known = new Set([...(await ctx.server.getAllProcessInfo()).map((i) => i.group), ...added]);
      for (const group of wanted) {
        if (known.has(group)) continue;
        ctx.out.row(`ERROR: no such group: ${group}`, { group, ok: false, error: 'no such group' });
        ctx.exitStatus = Exit.GENERIC;
      }
    }
    for (const group of removed.filter(selected)) {
      const results = await ctx.server.stopProcessGroup(group);
      log(group, 'stopped');
      if (results.some((r) => r.status === Faults.FAILED)) {
        ctx.out.row(`${group}: has problems; not removing`, { group, action: 'remove', ok: false, error: 'has problems; not removing' });
        ctx.exitStatus = Exit.GENERIC;
        continue;
      }
      await ctx.server.removeProcessGroup(group);
      log(group, 'removed process group');
    }
    for (const group of changed.filter(selected)) {
      await ctx.server.stopProcessGroup(group);
      log(group, 'stopped');
      await ctx.server.removeProcessGroup(group);
      await ctx.server.addProcessGroup(group);
      log(group, 'updated process group');
    }
    for (const group of added.filter(selected)) {
      await ctx.server.addProcessGroup(group);
      log(group, 'added process group');
    }
  },
};

export const add: Command = {
  name: 'add',
  listed: true,
  help: ['add <name> [...]\tActivates any updates in config for process/group'],
  async run(ctx, arg) {
    for (const name of words(arg)) {
      try {
        await ctx.server.addProcessGroup(name);
      } catch (err) {
        const code = asFault(err)?.faultCode;
        if (code === Faults.SHUTDOWN_STATE) {
          ctx.out.row('ERROR: shutting down', { name, ok: false, error: 'shutting down' });
          ctx.exitStatus = Exit.GENERIC;
        } else if (code === Faults.ALREADY_ADDED) {
          ctx.out.row('ERROR: process group already active', { name, ok: false, error: 'process group already active' });
        } else if (code === Faults.BAD_NAME) {
          ctx.out.row(`ERROR: no such process/group: ${name}`, { name, ok: false, error: 'no such process/group' });
          ctx.exitStatus = Exit.GENERIC;
        } else {
          ctx.exitStatus = Exit.GENERIC;
          throw err;
        }
        continue;
      }
      ctx.out.row(`${name}: added process group`, { name, ok: true, result: 'added process group' });
    }
  },
};

export const remove: Command = {
  name: 'remove',
  listed: true,
  help: ['remove <name> [...]\tRemoves process/group from active config'],
  async run(ctx, arg) {
    for (const name of words(arg)) {
      try {
        await ctx.server.removeProcessGroup(name);
      } catch (err) {
        ctx.exitStatus = Exit.GENERIC;
        const code = asFault(err)?.faultCode;
        if (code === Faults.STILL_RUNNING) {
          ctx.out.row(`ERROR: process/group still running: ${name}`, { name, ok: false, error: 'process/group still running' });
        } else if (code === Faults.BAD_NAME) {
          ctx.out.row(`ERROR: no such process/group: ${name}`, { name, ok: false, error: 'no such process/group' });
        } else throw err;
        continue;
      }
      ctx.out.row(`${name}: removed process group`, { name, ok: true, result: 'removed process group' });
    }
  },
};
