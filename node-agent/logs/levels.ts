import { FleetvisorError } from '../api/errors.js';
import type { LogLevel } from '../config/types.js';
import type { MainLogLevel } from './types.js';

/** supervisord's level numbers: a message is logged when its number ≥ the configured one. */
export const LEVEL_NUMBERS: Readonly<Record<MainLogLevel, number>> = Object.freeze({
  CRIT: 50,
  ERRO: 40,
  WARN: 30,
  INFO: 20,
  DEBG: 10,
  TRAC: 5,
  BLAT: 3,
});

/** Config `loglevel` names (`warning` is not one of them in 4.2.5). */
export const LEVEL_BY_CONFIG_NAME: Readonly<Record<LogLevel, MainLogLevel>> = Object.freeze({
  critical: 'CRIT',
  error: 'ERRO',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBG',
  trace: 'TRAC',
  blather: 'BLAT',
});

export function isConfigLogLevel(name: string): name is LogLevel {
  return Object.hasOwn(LEVEL_BY_CONFIG_NAME, name);
}

/** The threshold number for a config level name; throws FV_CONFIG_BAD_VALUE with supervisord's wording. */
export function levelNumberOf(name: string): number {
  if (!isConfigLogLevel(name)) {
    throw new FleetvisorError('FV_CONFIG_BAD_VALUE', `bad logging level name '${name}'`);
  }
  return LEVEL_NUMBERS[LEVEL_BY_CONFIG_NAME[name]];
}
