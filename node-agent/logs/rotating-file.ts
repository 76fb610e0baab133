import { closeSync, fstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { LogFileError, isErrno } from './log-file-error.js';

export interface RotationPolicy {
  /** Rotate once the file reaches this size; 0 = never rotate. */
  maxbytes: number;
  /** Backups kept as `<path>.1` … `<path>.<backups>`; 0 = truncate instead. */
  backups: number;
}

/**
 * An append-only file with supervisord's size-based rotation. The fd is held
 * open and the size tracked in memory, so a write costs one write(2) and
 * nothing else unless it triggers a rotation.
 */
export class RotatingFile {
  private fd: number | undefined;
  private bytes = 0;

  constructor(
    readonly path: string,
    private readonly policy: RotationPolicy,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.openAppend();
  }

  /** Bytes in the current file as far as this writer knows. */
  get size(): number {
    return this.bytes;
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /** Append; never throws (a failing disk must not take the daemon down), errors go to onError. */
  write(data: Buffer | string): void {
    if (this.fd === undefined) return;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      let done = 0;
      while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done);
      this.bytes += buf.length;
    } catch (err) {
      this.onError(new LogFileError('write', this.path, err));
      return;
    }
    const { maxbytes } = this.policy;
    if (maxbytes > 0 && this.bytes >= maxbytes) this.rotate();
  }

  /** Close and open again by path, appending (SIGUSR2). Throws LogFileError. */
  reopen(): void {
    this.closeFd();
    this.openAppend();
  }

  /** Delete the current file (backups stay) and start a new empty one. Throws LogFileError. */
  clear(): void {
    this.closeFd();
    try {
      unlinkSync(this.path);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw new LogFileError('remove', this.path, err);
    }
    this.openAppend();
  }

  close(): void {
    this.closeFd();
  }

  private rotate(): void {
    this.closeFd();
    const { backups } = this.policy;
    try {
      if (backups > 0) {
        for (let i = backups - 1; i >= 1; i--) renameIfPresent(`${this.path}.${i}`, `${this.path}.${i + 1}`);
        renameIfPresent(this.path, `${this.path}.1`);
      }
      // A fresh file (truncating when there are no backups), as supervisord does.
      this.fd = openSync(this.path, 'w');
      this.bytes = 0;
    } catch (err) {
      this.onError(new LogFileError('rotate', this.path, err));
      this.tryReopenAfterFailure();
    }
  }

  private tryReopenAfterFailure(): void {
    try {
      this.openAppend();
    } catch (err) {
      this.onError(err as Error);
    }
  }

  private openAppend(): void {
    try {
      this.fd = openSync(this.path, 'a');
      this.bytes = fstatSync(this.fd).size;
    } catch (err) {
      this.closeFd();
      throw new LogFileError('open', this.path, err);
    }
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Already closed or invalid: nothing left to release.
    }
  }
}

/** A missing source is fine: something (logrotate, a user) may have removed it. */
function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
}
