/**
 * Where supervisord and supervisorctl look for their config when -c is not
 * given (compat spec §1.1).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FleetvisorError } from '../api/errors.js';
import { pyDirname } from './python.js';

/** The search list, in order; relative entries are relative to cwd. */
export function configSearchPaths(argv0: string): string[] {
  const prefix = pyDirname(pyDirname(argv0));
  return [
    join2(prefix, 'etc/supervisord.conf'),
    join2(prefix, 'supervisord.conf'),
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

/** os.path.join as Python does it (no normalisation; '' prefix adds nothing). */
function join2(prefix: string, rest: string): string {
  if (prefix === '') return rest;
  return prefix.endsWith('/') ? prefix + rest : `${prefix}/${rest}`;
}

export interface FindOptions {
  /** Existence check on the absolute path (tests replace it to hide system-wide files). */
  exists?: (absolutePath: string) => boolean;
}

/** The first existing config in the search list, or undefined (supervisorctl is fine without one). */
export function findConfigFileOptional(argv0: string, cwd: string, options: FindOptions = {}): string | undefined {
  const exists = options.exists ?? existsSync;
  return configSearchPaths(argv0).find((p) => exists(resolve(cwd, p)));
}

/** The first existing config in the search list, or supervisord's usage error. */
export function findConfigFile(argv0: string, cwd: string, options: FindOptions = {}): string {
  const found = findConfigFileOptional(argv0, cwd, options);
  if (found !== undefined) return found;
  throw new FleetvisorError(
    'FV_CONFIG_NOT_FOUND',
    `No config file found at default paths (${configSearchPaths(argv0).join(', ')}); ` +
      'use the -c option to specify a config file at a different path',
  );
}

/** The UserWarning supervisord prints on stderr when it searches the default paths as root. */
export const ROOT_SEARCH_WARNING =
  'Supervisord is running as root and it is searching for its configuration file in default ' +
  'locations (including its current working directory); you probably want to specify a "-c" ' +
  'argument specifying an absolute path to a configuration file for improved security.';
