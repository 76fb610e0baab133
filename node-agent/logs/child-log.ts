import type { TailResult } from '../api/types.js';
import { readLogFile, tailLogFile } from './log-reader.js';
import { RotatingFile } from './rotating-file.js';
import type { ChildLog } from './types.js';

export interface FileChildLogOptions {
  /** Absolute path of the log file. */
  path: string;
  /** `*_logfile_maxbytes`; 0 = never rotate. */
  maxbytes: number;
  /** `*_logfile_backups`; 0 = truncate at maxbytes. */
  backups: number;
  /** Write and rotation failures (a write never throws). */
  onError?: (err: Error) => void;
}

/**
 * The capture log of one channel of one process: raw bytes appended as they
 * come, no timestamps. Opening (append) happens here, so construction throws
 * LogFileError when the file cannot be opened.
 */
export class FileChildLog implements ChildLog {
  private readonly file: RotatingFile;

  constructor(options: FileChildLogOptions) {
    this.file = new RotatingFile(
      options.path,
      { maxbytes: options.maxbytes, backups: options.backups },
      options.onError,
    );
  }

  get path(): string {
    return this.file.path;
  }

  /** Bytes currently in the file, as known to this writer. */
  get size(): number {
    return this.file.size;
  }

  write(chunk: Buffer): void {
    if (chunk.length > 0) this.file.write(chunk);
  }

  read(offset: number, length: number): string {
    return readLogFile(this.file.path, offset, length);
  }

  tail(offset: number, length: number): TailResult {
    return tailLogFile(this.file.path, offset, length);
  }

  clear(): void {
    this.file.clear();
  }

  reopen(): void {
    this.file.reopen();
  }

  close(): void {
    this.file.close();
  }
}

export function openChildLogFile(options: FileChildLogOptions): FileChildLog {
  return new FileChildLog(options);
}
