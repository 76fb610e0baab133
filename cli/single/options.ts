/**
 * supervisorctl's command line and config lookup (compat spec §5.1): -c, -h,
 * -i, -s, -u, -p, -r, plus fleetvisorctl's --json. Command-line values win
 * over the [supervisorctl] section, which wins over the defaults.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { loadSupervisorctlConfig, DEFAULT_PROMPT, DEFAULT_SERVER_URL } from '../../node-agent/config/ctl.js';
import { findConfigFileOptional } from '../../node-agent/config/locate.js';
import { parseArgs, type OptionSpec } from '../args.js';

export interface SingleOptions {
  serverurl: string;
  username?: string;
  password?: string;
  prompt: string;
  historyFile?: string;
  /** True with -i, or when no command was given (the shell). */
  interactive: boolean;
  json: boolean;
  /** The command and its arguments; empty for the shell. */
  command: string[];
  /** The config file read, if any. */
  configFile?: string;
}

/** What the command line asks for before any server is contacted. */
export type OptionsOutcome = { kind: 'run'; options: SingleOptions } | { kind: 'help' };

type Key = 'help' | 'configuration' | 'interactive' | 'serverurl' | 'username' | 'password' | 'history_file' | 'json';

export const SINGLE_OPTION_SPECS: readonly OptionSpec<Key>[] = [
  { key: 'help', short: 'h', long: 'help', takesValue: false },
  { key: 'help', short: '?', takesValue: false },
  { key: 'configuration', short: 'c', long: 'configuration', takesValue: true },
  { key: 'interactive', short: 'i', long: 'interactive', takesValue: false },
  { key: 'serverurl', short: 's', long: 'serverurl', takesValue: true },
  { key: 'username', short: 'u', long: 'username', takesValue: true },
  { key: 'password', short: 'p', long: 'password', takesValue: true },
  { key: 'history_file', short: 'r', long: 'history_file', takesValue: true },
  { key: 'json', long: 'json', takesValue: false },
];

/** urlparse(value) has a scheme and a netloc or path — supervisorctl's only check of -s. */
export function looksLikeUrl(value: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(value);
  if (!m) return false;
  const rest = m[2].replace(/[?#].*$/s, '');
  return rest.replace(/^\/\//, '') !== '';
}

function usage(message: string): FleetvisorError {
  return new FleetvisorError('FV_USAGE', message);
}

export interface ResolveContext {
  argv0: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Parses argv and reads the config; throws FV_USAGE / FV_CONFIG_* with supervisorctl's message. */
export function resolveSingleOptions(argv: readonly string[], ctx: ResolveContext): OptionsOutcome {
  const parsed = parseArgs(SINGLE_OPTION_SPECS, argv);
  const given = new Map<Key, string | true>();
  for (const option of parsed.options) {
    if (option.key === 'help') return { kind: 'help' };
    if (option.key === 'serverurl' && !looksLikeUrl(option.value!)) {
      throw usage(`invalid value for ${option.shown} '${option.value}': value '${option.value}' is not a URL`);
    }
    if (given.has(option.key) && option.key !== 'json') throw usage(`conflicting command line option '${option.shown}'`);
    given.set(option.key, option.value ?? true);
  }
  const text = (key: Key): string | undefined => {
    const value = given.get(key);
    return typeof value === 'string' ? value : undefined;
  };

  const configFile = text('configuration') ?? findConfigFileOptional(ctx.argv0, ctx.cwd);
  let fromFile;
  try {
    fromFile = loadSupervisorctlConfig(configFile, { cwd: ctx.cwd, env: ctx.env });
  } catch (err) {
    if (err instanceof FleetvisorError) throw usage(err.message);
    throw err;
  }
  const options: SingleOptions = {
    serverurl: text('serverurl') ?? fromFile.serverurl ?? DEFAULT_SERVER_URL,
    prompt: fromFile.prompt ?? DEFAULT_PROMPT,
    interactive: given.has('interactive') || parsed.rest.length === 0,
    json: given.has('json'),
    command: parsed.rest,
  };
  const username = text('username') ?? fromFile.username;
  const password = text('password') ?? fromFile.password;
  const historyFile = text('history_file') ?? fromFile.historyFile;
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  if (historyFile) options.historyFile = historyFile;
  if (configFile !== undefined) options.configFile = configFile;
  return { kind: 'run', options };
}

export function singleHelpText(progname: string): string {
  return `fleetvisorctl -- control the programs run by fleetvisord or supervisord.

Usage: ${progname} [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- config file to read [supervisorctl] from
     (searched for in the usual places when not given)
-h/--help -- print this message and exit
-i/--interactive -- ask before reload/shutdown and for credentials the server
     wants (the shell always does)
-s/--serverurl URL -- where supervisord listens: http://host:port or
     unix:///path/to.sock (default "http://localhost:9001")
-u/--username USERNAME -- username for the server's authentication
-p/--password PASSWORD -- password for the server's authentication
-r/--history_file FILE -- keep the shell's command history in FILE
--json -- print each command's result as one JSON document (see cli/README.md)

action [arguments] -- see below

Actions are commands such as "status", "tail" or "stop".  Without an action
an interactive shell reads actions from the terminal.  The action "help"
lists every action.
`;
}
