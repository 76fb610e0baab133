/**
 * [supervisord]: the daemon's own options, read in supervisord 4.2.5's order
 * so the first bad value reported is the same one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expand } from './expand.js';
import { parseEnvironmentPairs } from './envpairs.js';
import { missing, type ConfigSource } from './source.js';
import type { LogTarget, SupervisordOptions } from './types.js';
import {
  toBoolean,
  toByteSize,
  toExistingDirectory,
  toExistingDirpath,
  toInteger,
  toLogLevel,
  toOctal,
} from './values.js';

const SECTION = 'supervisord';

export interface SupervisordSection {
  /** Everything but `user`, which supervisord resolves only after the whole file parsed. */
  options: Omit<SupervisordOptions, 'user'>;
  rawUser?: string;
}

/** tempfile.gettempdir(): the first writable of $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp, cwd. */
export function defaultTempDir(env: NodeJS.ProcessEnv, cwd: string): string {
  const candidates = [env.TMPDIR, env.TEMP, env.TMP, '/tmp', '/var/tmp', '/usr/tmp', cwd];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const dir = resolve(cwd, candidate);
    try {
      if (statSync(dir).isDirectory()) {
        accessSync(dir, constants.W_OK);
        return dir;
      }
    } catch {
      // not usable, try the next one
    }
  }
  return cwd;
}

export function readSupervisordSection(src: ConfigSource): SupervisordSection {
  if (!src.parser.hasSection(SECTION)) throw missing('.ini file does not include supervisord section');
  const here = { here: src.here };
  const get = <D extends string | undefined>(option: string, fallback: D) =>
    src.get(SECTION, option, fallback, { expansions: here });
  const paths = src.paths;

  const minfds = toInteger(get('minfds', '1024'));
  const minprocs = toInteger(get('minprocs', '200'));
  const directoryValue = get('directory', undefined);
  const directory = directoryValue === undefined ? undefined : toExistingDirectory(directoryValue, paths);
  const rawUser = get('user', undefined);
  const umask = toOctal(get('umask', '022'));
  const logfileValue = toExistingDirpath(get('logfile', 'supervisord.log'), paths);
  const logfileMaxbytes = toByteSize(get('logfile_maxbytes', '50MB'));
  const logfileBackups = toInteger(get('logfile_backups', '10'));
  const loglevel = toLogLevel(get('loglevel', 'info'));
  const pidfile = toExistingDirpath(get('pidfile', 'supervisord.pid'), paths);
  const identifier = get('identifier', 'supervisor');
  const nodaemon = toBoolean(get('nodaemon', 'false'));
  const silent = toBoolean(get('silent', 'false'));
  const tempDir = defaultTempDir(src.environment.env, src.environment.cwd);
  const childlogdir = toExistingDirectory(get('childlogdir', tempDir), paths);
  const nocleanup = toBoolean(get('nocleanup', 'false'));
  const stripAnsi = toBoolean(get('strip_ansi', 'false'));

  // supervisord 4.2.5 expands this value twice (so a literal % needs %%%%).
  const environmentOnce = get('environment', '');
  const environmentTwice = expand(
    environmentOnce,
    { here: src.here, host_node_name: src.environment.hostNodeName, ...src.envExpansions },
    'environment',
  );
  const environment = parseEnvironmentPairs(environmentTwice);
  for (const [key, value] of Object.entries(environment)) src.envExpansions[`ENV_${key}`] = value;

  const logfile: LogTarget =
    logfileValue === 'syslog' ? { kind: 'syslog' } : { kind: 'file', path: src.normalizePath(logfileValue) };
  return {
    rawUser,
    options: {
      logfile,
      logfileMaxbytes,
      logfileBackups,
      loglevel,
      pidfile: src.normalizePath(pidfile),
      umask,
      nodaemon,
      silent,
      minfds,
      minprocs,
      nocleanup,
      childlogdir: resolve(src.environment.cwd, childlogdir),
      directory,
      stripAnsi,
      environment,
      identifier,
    },
  };
}
