import { FleetvisorError } from '../api/errors.js';

/** supervisord's command-line options (compat spec §8); values stay text until applied to the config. */
export interface DaemonArgs {
  configuration?: string;
  nodaemon?: boolean;
  silent?: boolean;
  help?: boolean;
  version?: boolean;
  user?: string;
  umask?: string;
  directory?: string;
  logfile?: string;
  logfile_maxbytes?: string;
  logfile_backups?: string;
  loglevel?: string;
  pidfile?: string;
  identifier?: string;
  childlogdir?: string;
  nocleanup?: boolean;
  minfds?: string;
  strip_ansi?: boolean;
  minprocs?: string;
  profile_options?: string;
}

type Key = keyof DaemonArgs;

interface OptionSpec {
  key: Key;
  short?: string;
  long: string;
  takesValue: boolean;
}

const OPTIONS: OptionSpec[] = [
  { key: 'configuration', short: 'c', long: 'configuration', takesValue: true },
  { key: 'nodaemon', short: 'n', long: 'nodaemon', takesValue: false },
  { key: 'silent', short: 's', long: 'silent', takesValue: false },
  { key: 'help', short: 'h', long: 'help', takesValue: false },
  { key: 'version', short: 'v', long: 'version', takesValue: false },
  { key: 'user', short: 'u', long: 'user', takesValue: true },
  { key: 'umask', short: 'm', long: 'umask', takesValue: true },
  { key: 'directory', short: 'd', long: 'directory', takesValue: true },
  { key: 'logfile', short: 'l', long: 'logfile', takesValue: true },
  { key: 'logfile_maxbytes', short: 'y', long: 'logfile_maxbytes', takesValue: true },
  { key: 'logfile_backups', short: 'z', long: 'logfile_backups', takesValue: true },
  { key: 'loglevel', short: 'e', long: 'loglevel', takesValue: true },
  { key: 'pidfile', short: 'j', long: 'pidfile', takesValue: true },
  { key: 'identifier', short: 'i', long: 'identifier', takesValue: true },
  { key: 'childlogdir', short: 'q', long: 'childlogdir', takesValue: true },
  { key: 'nocleanup', short: 'k', long: 'nocleanup', takesValue: false },
  { key: 'minfds', short: 'a', long: 'minfds', takesValue: true },
  { key: 'strip_ansi', short: 't', long: 'strip_ansi', takesValue: false },
  { key: 'minprocs', long: 'minprocs', takesValue: true },
  { key: 'profile_options', long: 'profile_options', takesValue: true },
];

/** Parse argv (without node and script) the way supervisord's getopt does; errors are FV_USAGE with supervisord's text. */
export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  const args: DaemonArgs = {};
  const positional: string[] = [];
  const set = (spec: OptionSpec, shown: string, value: string | true) => {
    if (args[spec.key] !== undefined && spec.key !== 'help') {
      throw new FleetvisorError('FV_USAGE', `conflicting command line option '${shown}'`);
    }
    (args as Record<string, string | boolean>)[spec.key] = value;
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = token.slice(2, eq < 0 ? undefined : eq);
      const spec = OPTIONS.find((o) => o.long === name);
      if (!spec) throw new FleetvisorError('FV_USAGE', `option --${name} not recognized`);
      if (spec.takesValue) {
        let value = eq < 0 ? undefined : token.slice(eq + 1);
        if (value === undefined) {
          if (i + 1 >= argv.length) throw new FleetvisorError('FV_USAGE', `option --${name} requires argument`);
          value = argv[++i];
        }
        set(spec, `--${name}`, value);
      } else {
        if (eq >= 0) throw new FleetvisorError('FV_USAGE', `option --${name} must not have an argument`);
        set(spec, `--${name}`, true);
      }
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      for (let j = 1; j < token.length; j++) {
        const letter = token[j];
        if (letter === '?') {
          args.help = true;
          continue;
        }
        const spec = OPTIONS.find((o) => o.short === letter);
        if (!spec) throw new FleetvisorError('FV_USAGE', `option -${letter} not recognized`);
        if (!spec.takesValue) {
          set(spec, `-${letter}`, true);
          continue;
        }
        let value = token.slice(j + 1);
        if (value === '') {
          if (i + 1 >= argv.length) throw new FleetvisorError('FV_USAGE', `option -${letter} requires argument`);
          value = argv[++i];
        }
        set(spec, `-${letter}`, value);
        break;
      }
      continue;
    }
    positional.push(token);
  }
  if (positional.length > 0) {
    throw new FleetvisorError('FV_USAGE', `positional arguments are not supported: [${positional.map((p) => `'${p}'`).join(', ')}]`);
  }
  return args;
}

export const USAGE = `fleetvisord -- run a set of applications as daemons (a drop-in supervisord).

Usage: fleetvisord [options]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-n/--nodaemon -- run in the foreground (same as 'nodaemon=true' in config file)
-s/--silent -- no logs to stdout (maps to 'silent=true' in config file)
-h/--help -- print this usage message and exit
-v/--version -- print the supervisord-compatible version number and exit
-u/--user USER -- run as this user (or numeric uid)
-m/--umask UMASK -- use this umask for daemon subprocess (default is 022)
-d/--directory DIRECTORY -- directory to chdir to when daemonized
-l/--logfile FILENAME -- use FILENAME as logfile path
-y/--logfile_maxbytes BYTES -- use BYTES to limit the max size of logfile
-z/--logfile_backups NUM -- number of backups to keep when max bytes reached
-e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,error,critical)
-j/--pidfile FILENAME -- write a pid file for the daemon process to FILENAME
-i/--identifier STR -- identifier used for this instance of supervisord
-q/--childlogdir DIRECTORY -- the log directory for child process logs
-k/--nocleanup --  prevent the process from performing cleanup (removal of
                   old automatic child log files) at startup.
-a/--minfds NUM -- the minimum number of file descriptors for start success
-t/--strip_ansi -- strip ansi escape codes from process output
--minprocs NUM  -- the minimum number of processes available for start success
--profile_options OPTIONS -- accepted for compatibility; profiling is not supported
`;
