/**
 * The parsed ini plus what every section builder needs: expansion-aware
 * option lookup (supervisord's `saneget`), the file a section came from, and
 * the parse-time notes collected along the way.
 */
import { resolve } from 'node:path';
import { FleetvisorError } from '../api/errors.js';
import { expand, type Expansions } from './expand.js';
import type { IniParser } from './ini.js';
import { pyRepr } from './python.js';
import { expandUser, type UserDatabase } from './users.js';
import type { PathContext } from './values.js';

export interface GetOptions {
  /** false: return the raw text (supervisord's do_expand=False). */
  expand?: boolean;
  /** Names added to the ENV_* ones for this lookup (they win on conflict). */
  expansions?: Expansions;
}

export interface SourceEnvironment {
  /** Path of the main config as given (used in error framing). */
  configFile: string;
  /** Absolute directory of the main config (`%(here)s`). */
  here: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  hostNodeName: string;
  users: UserDatabase;
}

export class ConfigSource {
  /** ENV_* names; extended by [supervisord] environment once it is parsed. */
  readonly envExpansions: Expansions;
  readonly warnings: string[] = [];
  readonly infos: string[] = [];

  constructor(
    readonly parser: IniParser,
    readonly sectionToFile: ReadonlyMap<string, string>,
    readonly environment: SourceEnvironment,
  ) {
    this.envExpansions = {};
    for (const [key, value] of Object.entries(environment.env)) {
      if (value !== undefined) this.envExpansions[`ENV_${key}`] = value;
    }
  }

  get paths(): PathContext {
    const { cwd, env, users } = this.environment;
    return { cwd, env, users };
  }

  get here(): string {
    return this.environment.here;
  }

  /** An option's value (expanded unless told otherwise), or the default when the option is absent. */
  get<D extends string | undefined>(section: string, option: string, fallback: D, options: GetOptions = {}): string | D {
    const value = this.parser.get(section, option) ?? fallback;
    if (value === undefined || options.expand === false) return value as string | D;
    const expansions = { ...this.envExpansions, ...(options.expansions ?? {}) };
    return expand(value, expansions, `${section}.${option}`);
  }

  /** supervisord's normalize_path: ~ expanded, absolute against cwd, normalised. */
  normalizePath(path: string): string {
    const { cwd, env, users } = this.environment;
    return resolve(cwd, expandUser(path, env, users));
  }

  /** Re-throw an error with supervisord's ` in section '<s>' (file: '<f>')` suffix. */
  frame(section: string, err: unknown): never {
    if (!(err instanceof FleetvisorError)) throw err;
    const file = this.sectionToFile.get(section) ?? this.environment.configFile;
    throw new FleetvisorError(err.code, `${err.message} in section ${pyRepr(section)} (file: ${pyRepr(file)})`, {
      cause: err,
    });
  }
}

export function missing(message: string): FleetvisorError {
  return new FleetvisorError('FV_CONFIG_MISSING', message);
}

export function badValue(message: string): FleetvisorError {
  return new FleetvisorError('FV_CONFIG_BAD_VALUE', message);
}

export function unsupported(message: string): FleetvisorError {
  return new FleetvisorError('FV_CONFIG_UNSUPPORTED', message);
}
