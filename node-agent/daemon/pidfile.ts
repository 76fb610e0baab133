import { unlinkSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logs/types.js';

/** Write `<pid>\n`; a failure is logged (CRIT) and the daemon goes on, as supervisord does. */
export function writePidfile(path: string, logger: Logger): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch {
    logger.critical(`could not write pidfile ${path}`);
  }
}

export function removePidfile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
