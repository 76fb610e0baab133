import { FleetvisorError } from '../api/errors.js';

/**
 * A log file could not be opened, created, removed or rotated. `errno` is the
 * system error name (`ENOENT`, `EMFILE`, ...), which supervisord puts in its
 * messages, e.g. `unknown error making dispatchers for 'x': ENOENT`.
 */
export class LogFileError extends FleetvisorError {
  readonly errno: string;
  readonly path: string;

  constructor(action: string, path: string, cause: unknown) {
    const errno = errnoName(cause);
    super('FV_LOG_OPEN', `could not ${action} log file ${path}: ${errno}`, { cause });
    this.name = 'LogFileError';
    this.errno = errno;
    this.path = path;
  }
}

export function errnoName(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(err);
}

export function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}
