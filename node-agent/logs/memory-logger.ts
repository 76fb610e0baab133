import type { LogLevel } from '../config/types.js';
import { LEVEL_NUMBERS, levelNumberOf } from './levels.js';
import type { Logger, MainLogLevel } from './types.js';

export interface LoggedLine {
  level: MainLogLevel;
  msg: string;
}

/** A Logger that keeps its lines in memory: for tests of modules that log. */
export interface MemoryLogger extends Logger {
  readonly lines: LoggedLine[];
  /** Lines as `LEVL msg`, one per line (no timestamps), for easy assertions. */
  text(): string;
  reset(): void;
}

export function memoryLogger(level: LogLevel = 'blather'): MemoryLogger {
  const threshold = levelNumberOf(level);
  const lines: LoggedLine[] = [];
  const isEnabled = (lvl: MainLogLevel) => LEVEL_NUMBERS[lvl] >= threshold;
  const at = (lvl: MainLogLevel) => (msg: string) => {
    if (isEnabled(lvl)) lines.push({ level: lvl, msg });
  };
  return {
    lines,
    critical: at('CRIT'),
    error: at('ERRO'),
    warn: at('WARN'),
    info: at('INFO'),
    debug: at('DEBG'),
    trace: at('TRAC'),
    blather: at('BLAT'),
    isEnabled,
    text: () => lines.map((l) => `${l.level} ${l.msg}\n`).join(''),
    reset: () => {
      lines.length = 0;
    },
  };
}

/** A Logger that drops everything. */
export function nullLogger(): Logger {
  const drop = () => {};
  return {
    critical: drop,
    error: drop,
    warn: drop,
    info: drop,
    debug: drop,
    trace: drop,
    blather: drop,
    isEnabled: () => false,
  };
}
