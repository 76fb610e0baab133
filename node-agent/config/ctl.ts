/**
 * The client side of supervisord.conf: the [supervisorctl] settings a
 * supervisorctl-compatible client uses (compat spec §1.5 [supervisorctl]).
 * supervisorctl does not process [include].
 */
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { readConfigText } from './include.js';
import { IniParser } from './ini.js';
import { resolveSpec, CTL_FACTORY_KEY } from './plugins.js';
import { ConfigSource, missing } from './source.js';
import type { SupervisorctlConfig } from './types.js';
import { loadUserDatabase, type UserDatabaseFiles } from './users.js';

export const DEFAULT_SERVER_URL = 'http://localhost:9001';
export const DEFAULT_PROMPT = 'supervisor';
const SECTION = 'supervisorctl';

export interface CtlLoadOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  userFiles?: UserDatabaseFiles;
}

export function defaultSupervisorctlConfig(): SupervisorctlConfig {
  return { serverurl: DEFAULT_SERVER_URL, prompt: DEFAULT_PROMPT };
}

/**
 * The [supervisorctl] settings of a config file; defaults when `path` is
 * undefined (no file found is fine for the client). Command-line values
 * (-s/-u/-p/-r) are applied by the caller over this result.
 */
export function loadSupervisorctlConfig(path: string | undefined, options: CtlLoadOptions = {}): SupervisorctlConfig {
  if (path === undefined) return defaultSupervisorctlConfig();
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const users = loadUserDatabase(options.userFiles);
  const parser = new IniParser();
  parser.read(readConfigText(path, cwd), path);
  const here = dirname(resolve(cwd, path));
  const src = new ConfigSource(parser, new Map(), {
    configFile: path,
    here,
    cwd,
    env,
    hostNodeName: hostname(),
    users,
  });
  if (!parser.hasSection(SECTION)) throw missing('.ini file does not include supervisorctl section');
  const config = readSupervisorctlSection(src);
  for (const section of parser.sections().filter((s) => s.startsWith('ctlplugin:'))) {
    const spec = src.get(section, CTL_FACTORY_KEY, undefined);
    if (spec === undefined) throw missing(`section [${section}] does not specify a ${CTL_FACTORY_KEY}`);
    resolveSpec(spec, section, []);
  }
  return Object.freeze(config);
}

/** [supervisorctl] of an already parsed config (the section must exist). */
export function readSupervisorctlSection(src: ConfigSource): SupervisorctlConfig {
  const withHere = { expansions: { here: src.here } };
  let serverurl = src.get(SECTION, 'serverurl', DEFAULT_SERVER_URL, withHere);
  if (serverurl.startsWith('unix://')) serverurl = `unix://${src.normalizePath(serverurl.slice('unix://'.length))}`;
  const prompt = src.get(SECTION, 'prompt', DEFAULT_PROMPT);
  const username = src.get(SECTION, 'username', undefined);
  const password = src.get(SECTION, 'password', undefined);
  const historyFile = src.get(SECTION, 'history_file', undefined, withHere);
  const config: SupervisorctlConfig = { serverurl, prompt };
  if (username !== undefined) config.username = username;
  if (password !== undefined) config.password = password;
  if (historyFile) config.historyFile = src.normalizePath(historyFile);
  return config;
}
