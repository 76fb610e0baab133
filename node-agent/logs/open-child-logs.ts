import { RpcFault } from '../api/faults.js';
import type { TailResult } from '../api/types.js';
import type { ChannelConfig, ProcessConfig } from '../config/types.js';
import { AnsiStripper } from './ansi.js';
import { type AutoLogOptions, type Channel, createAutoLogFile } from './auto-names.js';
import { FileChildLog } from './child-log.js';
import type { ChildLog } from './types.js';

export interface OpenChildLogsOptions extends AutoLogOptions {
  /** `[supervisord] strip_ansi`: drop `ESC[`…letter sequences before anything is logged. */
  stripAnsi: boolean;
  /** Receives each line of a `*_syslog` channel, prefixed `<procname> ` (the daemon logs it to the main log at INFO). */
  syslog?: (line: string) => void;
  /** Write/rotation failures of the files (writes never throw). */
  onError?: (err: Error) => void;
}

export interface ChildLogs {
  stdout?: ChildLog;
  stderr?: ChildLog;
}

/**
 * Opens (append) the logs of one process's channels, as supervisord does at
 * each spawn. A channel without a log (NONE, redirected stderr) is absent.
 * AUTO should already have been resolved by resolveAutoLogs when the group was
 * added; one still AUTO here gets a new file. Throws LogFileError.
 */
export function openChildLogs(proc: ProcessConfig, options: OpenChildLogsOptions): ChildLogs {
  const logs: ChildLogs = {};
  try {
    logs.stdout = openChannel(proc, 'stdout', proc.stdout, options);
    if (!proc.redirectStderr) logs.stderr = openChannel(proc, 'stderr', proc.stderr, options);
  } catch (err) {
    logs.stdout?.close();
    throw err;
  }
  return logs;
}

function openChannel(
  proc: ProcessConfig,
  channel: Channel,
  config: ChannelConfig,
  options: OpenChildLogsOptions,
): ChildLog | undefined {
  const target = config.logfile;
  const toSyslog = config.syslog || target.kind === 'syslog';
  let path: string | undefined;
  if (target.kind === 'file') path = target.path;
  else if (target.kind === 'auto') path = createAutoLogFile(proc.name, channel, options);

  if (path === undefined && !toSyslog) return undefined;
  const file =
    path === undefined
      ? undefined
      : new FileChildLog({ path, maxbytes: config.logfileMaxbytes, backups: config.logfileBackups, onError: options.onError });
  if (file && !toSyslog && !options.stripAnsi) return file;
  return new ChannelLog(
    file,
    options.stripAnsi ? new AnsiStripper() : undefined,
    toSyslog ? syslogWriter(proc.name, options.syslog) : undefined,
  );
}

/** supervisord's syslog handler: each chunk, trailing newlines dropped, one line per `\n`. */
function syslogWriter(procName: string, onLine: ((line: string) => void) | undefined): (chunk: Buffer) => void {
  return (chunk) => {
    if (!onLine) return;
    const text = chunk.toString('utf8').replace(/\n+$/, '');
    for (const line of text.split('\n')) onLine(`${procName} ${line}`);
  };
}

/**
 * A channel whose output is transformed (strip_ansi) or also sent to syslog.
 * With no file (syslog only), `path` is '' and reads fault like supervisord's
 * for a channel without a log file.
 */
class ChannelLog implements ChildLog {
  constructor(
    private readonly file: FileChildLog | undefined,
    private readonly stripper: AnsiStripper | undefined,
    private readonly toSyslog: ((chunk: Buffer) => void) | undefined,
  ) {}

  get path(): string {
    return this.file?.path ?? '';
  }

  write(chunk: Buffer): void {
    const data = this.stripper ? this.stripper.strip(chunk) : chunk;
    if (data.length === 0) return;
    this.file?.write(data);
    this.toSyslog?.(data);
  }

  read(offset: number, length: number): string {
    if (!this.file) throw new RpcFault('NO_FILE');
    return this.file.read(offset, length);
  }

  tail(offset: number, length: number): TailResult {
    return this.file ? this.file.tail(offset, length) : ['', 0, false];
  }

  clear(): void {
    this.file?.clear();
  }

  reopen(): void {
    this.file?.reopen();
  }

  close(): void {
    this.file?.close();
  }
}
