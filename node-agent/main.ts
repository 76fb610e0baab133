/**
 * fleetvisord: a drop-in supervisord. Same flags, same config file, same
 * XML-RPC API; see README.md.
 */
import './v8-flags.js';
import { realpathSync } from 'node:fs';
import { FleetvisorError } from './api/errors.js';
import { SUPERVISOR_VERSION } from './api/types.js';
import { findConfigFile, loadConfig, toSupervisordOverride, type OverrideName } from './config/index.js';
import type { SupervisorConfig, SupervisordOptions } from './config/types.js';
import { parseDaemonArgs, USAGE, type DaemonArgs } from './daemon/args.js';
import { isDaemonChild, reportToParent, runDetached } from './daemon/daemonize.js';
import { runDaemon } from './daemon/run.js';

const VALUE_OPTIONS: Array<[keyof DaemonArgs, OverrideName, string]> = [
  ['umask', 'umask', '-m'],
  ['directory', 'directory', '-d'],
  ['logfile', 'logfile', '-l'],
  ['logfile_maxbytes', 'logfile_maxbytes', '-y'],
  ['logfile_backups', 'logfile_backups', '-z'],
  ['loglevel', 'loglevel', '-e'],
  ['pidfile', 'pidfile', '-j'],
  ['identifier', 'identifier', '-i'],
  ['childlogdir', 'childlogdir', '-q'],
  ['minfds', 'minfds', '-a'],
  ['minprocs', 'minprocs', '--minprocs'],
];

function usageError(message: string): never {
  const text = `Error: ${message}\nFor help, use ${process.argv[1]} -h\n`;
  reportToParent({ ok: false, message: text });
  process.stderr.write(text);
  process.exit(2);
}

/** Command-line values → config overrides, validated like the file's values. */
function overridesFrom(args: DaemonArgs, cwd: string): Partial<SupervisordOptions> {
  const overrides: Partial<SupervisordOptions> = {};
  for (const [key, name, flag] of VALUE_OPTIONS) {
    const raw = args[key];
    if (typeof raw !== 'string') continue;
    try {
      Object.assign(overrides, toSupervisordOverride(name, raw, { cwd, env: process.env }));
    } catch (err) {
      if (err instanceof FleetvisorError) usageError(`invalid value for ${flag} '${raw}': ${err.message}`);
      throw err;
    }
  }
  if (args.nodaemon) overrides.nodaemon = true;
  if (args.silent) overrides.silent = true;
  if (args.nocleanup) overrides.nocleanup = true;
  if (args.strip_ansi) overrides.stripAnsi = true;
  return overrides;
}

async function main(): Promise<void> {
  let args: DaemonArgs;
  try {
    args = parseDaemonArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof FleetvisorError) usageError(err.message);
    throw err;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (args.version) {
    process.stdout.write(`${SUPERVISOR_VERSION}\n`);
    process.exit(0);
  }

  const cwd = process.cwd();
  let configPath: string;
  try {
    configPath = args.configuration ?? findConfigFile(argv0(), cwd);
  } catch (err) {
    if (err instanceof FleetvisorError) usageError(err.message);
    throw err;
  }
  const overrides = overridesFrom(args, cwd);
  const readConfig = (): SupervisorConfig =>
    loadConfig(configPath, { cwd, env: process.env, overrides, cliUser: args.user });

  let config: SupervisorConfig;
  try {
    config = readConfig();
  } catch (err) {
    if (err instanceof FleetvisorError) usageError(err.message);
    throw err;
  }

  if (!config.supervisord.nodaemon && !isDaemonChild()) {
    await runDetached({ cwd: config.supervisord.directory });
  }
  if (isDaemonChild()) process.umask(config.supervisord.umask);

  const status = await runDaemon({ readConfig, firstConfig: config });
  process.exit(status);
}

function argv0(): string {
  try {
    return realpathSync(process.argv[1]);
  } catch {
    return process.argv[1];
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fleetvisord: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
