import { existsSync, unlinkSync } from 'node:fs';
import { RpcFault } from '../api/faults.js';
import type { TailResult } from '../api/types.js';
import { LEVEL_NUMBERS, levelNumberOf } from './levels.js';
import { readLogFile, tailLogFile } from './log-reader.js';
import { RotatingFile } from './rotating-file.js';
import type { Logger, MainLogLevel } from './types.js';

export interface MainLogOptions {
  /** Absolute path of supervisord.log; undefined = no file. */
  path?: string;
  /** `logfile_maxbytes`; 0 = never rotate. */
  maxbytes: number;
  /** `logfile_backups`. */
  backups: number;
  /** Config level name: critical error warn info debug trace blather. */
  level: string;
  /** Also write each line to stdout (nodaemon && !silent). */
  echo: boolean;
  /** Where echoed lines go; defaults to process.stdout. */
  echoTo?: (text: string) => void;
  /** File write/rotation failures (a log call never throws). */
  onError?: (err: Error) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * The daemon's own log, `YYYY-MM-DD HH:MM:SS,mmm LEVL msg` in local time,
 * with the same rotation as child logs. Also serves readLog / clearLog and
 * SIGUSR2 reopen.
 */
export class MainLog implements Logger {
  readonly path: string | undefined;
  /** Messages below this level number are dropped. */
  readonly threshold: number;
  private readonly file: RotatingFile | undefined;
  private readonly echoTo: ((text: string) => void) | undefined;
  private readonly now: () => Date;

  /** Throws FleetvisorError (bad level name) or LogFileError (file cannot be opened). */
  constructor(options: MainLogOptions) {
    this.threshold = levelNumberOf(options.level);
    this.path = options.path;
    this.echoTo = options.echo ? (options.echoTo ?? echoToStdout()) : undefined;
    this.now = options.now ?? (() => new Date());
    this.file =
      options.path === undefined
        ? undefined
        : new RotatingFile(options.path, { maxbytes: options.maxbytes, backups: options.backups }, options.onError);
  }

  critical(msg: string): void {
    this.log('CRIT', msg);
  }
  error(msg: string): void {
    this.log('ERRO', msg);
  }
  warn(msg: string): void {
    this.log('WARN', msg);
  }
  info(msg: string): void {
    this.log('INFO', msg);
  }
  debug(msg: string): void {
    this.log('DEBG', msg);
  }
  trace(msg: string): void {
    this.log('TRAC', msg);
  }
  blather(msg: string): void {
    this.log('BLAT', msg);
  }

  isEnabled(level: MainLogLevel): boolean {
    return LEVEL_NUMBERS[level] >= this.threshold;
  }

  log(level: MainLogLevel, msg: string): void {
    if (!this.isEnabled(level)) return;
    const line = formatLogLine(level, msg, this.now());
    this.echoTo?.(line);
    this.file?.write(line);
  }

  /** supervisor.readLog: fault NO_FILE (no file configured or missing), BAD_ARGUMENTS, FAILED. */
  read(offset: number, length: number): string {
    if (this.path === undefined) throw new RpcFault('NO_FILE');
    return readLogFile(this.path, offset, length);
  }

  tail(offset: number, length: number): TailResult {
    if (this.path === undefined) return ['', 0, false];
    return tailLogFile(this.path, offset, length);
  }

  /** supervisor.clearLog: fault NO_FILE when there is no file, FAILED when it cannot be removed. */
  clear(): void {
    if (this.path === undefined || !this.file || !existsSync(this.path)) throw new RpcFault('NO_FILE');
    try {
      unlinkSync(this.path);
    } catch {
      throw new RpcFault('FAILED');
    }
    // supervisord logs this once per handler it reopens (stdout echo and file),
    // before reopening, so the line never lands in the new file.
    const handlers = this.echoTo ? 2 : 1;
    for (let i = 0; i < handlers; i++) this.info('reopening log file');
    try {
      this.file.reopen();
    } catch {
      throw new RpcFault('FAILED');
    }
  }

  /** Close and reopen by path (SIGUSR2). Throws LogFileError. */
  reopen(): void {
    this.file?.reopen();
  }

  close(): void {
    this.file?.close();
  }
}

export function createMainLog(options: MainLogOptions): MainLog {
  return new MainLog(options);
}

export function formatLogLine(level: MainLogLevel, msg: string, at: Date): string {
  return `${formatTimestamp(at)} ${level} ${msg}\n`;
}

/** `YYYY-MM-DD HH:MM:SS,mmm` in local time. */
export function formatTimestamp(at: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}-${p2(at.getMonth() + 1)}-${p2(at.getDate())}`;
  const time = `${p2(at.getHours())}:${p2(at.getMinutes())}:${p2(at.getSeconds())}`;
  return `${date} ${time},${String(at.getMilliseconds()).padStart(3, '0')}`;
}

let stdoutGuarded = false;

/** A closed stdout (EPIPE) must not crash the daemon; supervisord ignores it too. */
function echoToStdout(): (text: string) => void {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on('error', () => {});
  }
  return (text) => {
    process.stdout.write(text);
  };
}
