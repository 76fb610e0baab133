import type { TailResult } from '../api/types.js';

/** One capture log of a child (stdout or stderr): a file with rotation. */
export interface ChildLog {
  /** Absolute path of the current file. */
  readonly path: string;
  /** Append raw bytes; rotates when the file reaches maxbytes (checked after each write). */
  write(chunk: Buffer): void;
  /** supervisord's read*Log semantics (compat spec §7.3); throws RpcFault BAD_ARGUMENTS / NO_FILE / FAILED. */
  read(offset: number, length: number): string;
  /** supervisord's tail*Log semantics (compat spec §7.3). */
  tail(offset: number, length: number): TailResult;
  /** Delete and recreate the file (and its backups' content stays). */
  clear(): void;
  /** Close and reopen the file by path (SIGUSR2). */
  reopen(): void;
  close(): void;
}

export type MainLogLevel = 'CRIT' | 'ERRO' | 'WARN' | 'INFO' | 'DEBG' | 'TRAC' | 'BLAT';

/** The daemon's own log (supervisord.log): `YYYY-MM-DD HH:MM:SS,mmm LEVL msg`. */
export interface Logger {
  critical(msg: string): void;
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
  blather(msg: string): void;
  isEnabled(level: MainLogLevel): boolean;
}
