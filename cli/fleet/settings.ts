/**
 * Fleet mode's command line before the command, and where the hub URL and
 * token come from: the command line, then FLEETVISOR_HUB / FLEETVISOR_TOKEN,
 * then `-c FILE`'s [fleetvisorctl] section, then the user's
 * fleetvisorctl.ini. A token from a file is used only with the hub that file
 * names (or a file naming no hub), so a stored token never goes to another hub.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { parseArgs, type OptionSpec } from '../args.js';
import { readFleetSection, sameHub, userConfigPath, type FleetFileSettings } from './config-files.js';

export interface FleetSettings {
  /** The hub's base URL without a trailing slash; undefined only when nothing names one (login asks for it). */
  hub?: string;
  token?: string;
  json: boolean;
  /** Colours and the progress bar: stdout is a terminal and NO_COLOR is unset (--no-color turns them off). */
  colour: boolean;
  /** The command and its arguments; empty means help. */
  command: string[];
  help: boolean;
  /** Where `login` stores the token. */
  userConfig: string;
}

type Key = 'help' | 'configuration' | 'hub' | 'token' | 'json' | 'nocolor';

const FLEET_OPTIONS: readonly OptionSpec<Key>[] = [
  { key: 'help', short: 'h', long: 'help', takesValue: false },
  { key: 'help', short: '?', takesValue: false },
  { key: 'configuration', short: 'c', long: 'configuration', takesValue: true },
  { key: 'hub', long: 'hub', takesValue: true },
  { key: 'token', long: 'token', takesValue: true },
  { key: 'json', long: 'json', takesValue: false },
  { key: 'nocolor', long: 'no-color', takesValue: false },
];

export interface SettingsContext {
  env: NodeJS.ProcessEnv;
  stdoutIsTty: boolean;
}

export function resolveFleetSettings(argv: readonly string[], ctx: SettingsContext): FleetSettings {
  const parsed = parseArgs(FLEET_OPTIONS, argv);
  const value = (key: Key): string | undefined => [...parsed.options].reverse().find((o) => o.key === key)?.value;
  const has = (key: Key): boolean => parsed.options.some((o) => o.key === key);
  const userConfig = userConfigPath(ctx.env);
  const files: FleetFileSettings[] = [];
  const configuration = value('configuration');
  if (configuration !== undefined) files.push(readFleetSection(configuration));
  files.push(readFleetSection(userConfig));

  const nonEmpty = (text: string | undefined): string | undefined => (text === undefined || text === '' ? undefined : text);
  const hub = nonEmpty(value('hub')) ?? nonEmpty(ctx.env.FLEETVISOR_HUB) ?? files.find((f) => f.hub !== undefined)?.hub;
  if (hub !== undefined) checkHubUrl(hub);
  const fileToken = files.find((f) => f.token !== undefined && (f.hub === undefined || hub === undefined || sameHub(f.hub, hub)))?.token;
  const token = nonEmpty(value('token')) ?? nonEmpty(ctx.env.FLEETVISOR_TOKEN) ?? fileToken;
  const settings: FleetSettings = {
    json: has('json'),
    colour: ctx.stdoutIsTty && !has('nocolor') && (ctx.env.NO_COLOR ?? '') === '' && ctx.env.TERM !== 'dumb',
    command: parsed.rest,
    help: has('help'),
    userConfig,
  };
  if (hub !== undefined) settings.hub = hub.replace(/\/+$/, '');
  if (token !== undefined) settings.token = token;
  return settings;
}

export function checkHubUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FleetvisorError('FV_USAGE', `hub URL '${url}' is not a URL (expected http://HOST:PORT or https://HOST:PORT)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FleetvisorError('FV_USAGE', `hub URL '${url}' must start with http:// or https://`);
  }
}
