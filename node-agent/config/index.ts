/**
 * supervisord.conf → a validated, deep-frozen SupervisorConfig.
 *
 * Errors are FleetvisorError with an FV_CONFIG_* code whose message is
 * exactly what supervisord 4.2.5 prints after `Error: ` (or, via
 * reloadConfig, after `CANT_REREAD: `).
 */
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { readSupervisorctlSection } from './ctl.js';
import { readProcessGroups } from './groups.js';
import { readWithIncludes } from './include.js';
import { readRpcInterfaces } from './plugins.js';
import { readInetServers, readUnixServers } from './servers.js';
import { ConfigSource } from './source.js';
import { readSupervisordSection } from './supervisord-section.js';
import type { SupervisorConfig, SupervisordOptions } from './types.js';
import { loadUserDatabase, resolveUser, type UserDatabaseFiles } from './users.js';

export interface LoadConfigOptions {
  /** Directory relative paths are resolved against (default: process.cwd()). */
  cwd?: string;
  /** supervisord's environment: ENV_* expansions (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Command-line values, already validated by the caller (see values.ts for
   * supervisord's converters); they win over the file. logfile/pidfile paths
   * are made absolute against cwd. A `user` override skips the file's user.
   */
  overrides?: Partial<SupervisordOptions>;
  /** Raw `-u` value: replaces the file's `user` and is resolved at the same point (after the whole file). */
  cliUser?: string;
  /** `uname -n` for %(host_node_name)s (default: os.hostname()). */
  hostNodeName?: string;
  /** Alternative passwd/group files (tests). */
  userFiles?: UserDatabaseFiles;
}

export function loadConfig(path: string, options: LoadConfigOptions = {}): SupervisorConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const hostNodeName = options.hostNodeName ?? hostname();
  const users = loadUserDatabase(options.userFiles);
  const here = dirname(resolve(cwd, path));

  const envExpansions: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) envExpansions[`ENV_${key}`] = value;
  const read = readWithIncludes({ configFile: path, cwd, here, hostNodeName, envExpansions });
  const src = new ConfigSource(read.parser, read.sectionToFile, {
    configFile: path,
    here,
    cwd,
    env,
    hostNodeName,
    users,
  });
  src.warnings.push(...read.warnings);

  const supervisordSection = readSupervisordSection(src);
  const rpcInterfaces = readRpcInterfaces(src);
  const groups = readProcessGroups(src);
  const globalEnv = supervisordSection.options.environment;
  for (const group of groups) {
    group.processes = group.processes.map((p) => ({ ...p, environment: { ...globalEnv, ...p.environment } }));
  }
  const inetHttpServers = readInetServers(src);
  const unixHttpServers = readUnixServers(src);

  const overrides = options.overrides ?? {};
  const supervisord: SupervisordOptions = { ...supervisordSection.options };
  const rawUser = options.cliUser ?? supervisordSection.rawUser;
  if (overrides.user === undefined && rawUser !== undefined) supervisord.user = resolveUser(rawUser, users);
  Object.assign(supervisord, withoutUndefined(overrides));
  if (overrides.logfile?.kind === 'file') {
    supervisord.logfile = { kind: 'file', path: src.normalizePath(overrides.logfile.path) };
  }
  if (overrides.pidfile !== undefined) supervisord.pidfile = src.normalizePath(overrides.pidfile);
  if (overrides.childlogdir !== undefined) supervisord.childlogdir = resolve(cwd, overrides.childlogdir);

  const config: SupervisorConfig = {
    file: resolve(cwd, path),
    files: read.files,
    supervisord,
    unixHttpServers,
    inetHttpServers,
    rpcInterfaces,
    groups,
    warnings: [
      ...src.warnings.map((message) => ({ level: 'warn' as const, message })),
      ...read.infos.map((message) => ({ level: 'info' as const, message })),
    ],
  };
  if (read.parser.hasSection('supervisorctl')) {
    const ctl = readEmbeddedCtl(src);
    if (ctl) config.supervisorctl = ctl;
  }
  return deepFreeze(config);
}

/** supervisord itself never reads [supervisorctl], so a bad value there must not fail the daemon. */
function readEmbeddedCtl(src: ConfigSource): SupervisorConfig['supervisorctl'] {
  try {
    return readSupervisorctlSection(src);
  } catch {
    return undefined;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export { findConfigFile, findConfigFileOptional, configSearchPaths, ROOT_SEARCH_WARNING, type FindOptions } from './locate.js';
export { toSupervisordOverride, VALUE_FLAGS, type OverrideName, type OverrideContext } from './cli-overrides.js';
export { loadSupervisorctlConfig, defaultSupervisorctlConfig, DEFAULT_SERVER_URL, DEFAULT_PROMPT } from './ctl.js';
export { LISTENER_EVENT_TYPES } from './groups.js';
export * as values from './values.js';
export { resolveUser, loadUserDatabase } from './users.js';
