/**
 * supervisord's command-line options that override [supervisord] values
 * (compat spec §8), converted with the same value types as the file. The
 * caller frames a failure as `invalid value for -a 'abc': <message>`.
 */
import { loadUserDatabase, type UserDatabaseFiles } from './users.js';
import type { SupervisordOptions } from './types.js';
import {
  toByteSize,
  toExistingDirectory,
  toExistingDirpath,
  toInteger,
  toLogLevel,
  toOctal,
} from './values.js';

/** Options taking a value: short flag → option name. Flags without a value (-n -k -t -s) are booleans. */
export const VALUE_FLAGS = {
  u: 'user',
  m: 'umask',
  d: 'directory',
  l: 'logfile',
  y: 'logfile_maxbytes',
  z: 'logfile_backups',
  e: 'loglevel',
  j: 'pidfile',
  i: 'identifier',
  q: 'childlogdir',
  a: 'minfds',
} as const;

/** `user` is not here: pass -u as loadConfig's `cliUser`, checked after the file like supervisord does. */
export type OverrideName = Exclude<(typeof VALUE_FLAGS)[keyof typeof VALUE_FLAGS], 'user'> | 'minprocs';

export interface OverrideContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  userFiles?: UserDatabaseFiles;
}

/**
 * One command-line value → the override for loadConfig. Paths stay relative
 * here; loadConfig makes logfile/pidfile/childlogdir absolute against cwd.
 */
export function toSupervisordOverride(
  name: OverrideName,
  raw: string,
  ctx: OverrideContext,
): Partial<SupervisordOptions> {
  const users = loadUserDatabase(ctx.userFiles);
  const paths = { cwd: ctx.cwd, env: ctx.env, users };
  switch (name) {
    case 'umask':
      return { umask: toOctal(raw) };
    case 'directory':
      return { directory: toExistingDirectory(raw, paths) };
    case 'logfile': {
      const path = toExistingDirpath(raw, paths);
      return { logfile: path === 'syslog' ? { kind: 'syslog' } : { kind: 'file', path } };
    }
    case 'logfile_maxbytes':
      return { logfileMaxbytes: toByteSize(raw) };
    case 'logfile_backups':
      return { logfileBackups: toInteger(raw) };
    case 'loglevel':
      return { loglevel: toLogLevel(raw) };
    case 'pidfile':
      return { pidfile: toExistingDirpath(raw, paths) };
    case 'identifier':
      return { identifier: raw };
    case 'childlogdir':
      return { childlogdir: toExistingDirectory(raw, paths) };
    case 'minfds':
      return { minfds: toInteger(raw) };
    case 'minprocs':
      return { minprocs: toInteger(raw) };
  }
}
