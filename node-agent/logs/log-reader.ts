import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { RpcFault } from '../api/faults.js';
import type { TailResult } from '../api/types.js';
import { isErrno } from './log-file-error.js';

/**
 * supervisord's read*Log (compat spec §7.3):
 * off<0 && len=0 → last |off| bytes; off<0 && len≠0, or len<0 → BAD_ARGUMENTS;
 * len=0 → off..EOF; else len bytes at off; past EOF → ''.
 * Only the requested bytes are read (positioned reads). Bytes are decoded as
 * UTF-8 leniently: a split or invalid sequence becomes U+FFFD instead of failing.
 */
export function readLogFile(path: string, offset: number, length: number): string {
  const fd = openForReading(path);
  try {
    offset = Math.trunc(offset);
    length = Math.trunc(length);
    if (!Number.isFinite(offset) || !Number.isFinite(length)) throw new RpcFault('BAD_ARGUMENTS');
    const size = fstatSync(fd).size;
    if (offset < 0) {
      if (length !== 0) throw new RpcFault('BAD_ARGUMENTS');
      const start = Math.max(0, size - -offset);
      return readRange(fd, start, Math.min(-offset, size - start));
    }
    if (length < 0) throw new RpcFault('BAD_ARGUMENTS');
    const available = Math.max(0, size - offset);
    return readRange(fd, offset, length === 0 ? available : Math.min(length, available));
  } catch (err) {
    if (err instanceof RpcFault) throw err;
    throw new RpcFault('FAILED');
  } finally {
    closeSync(fd);
  }
}

/**
 * supervisord's tail*Log (compat spec §7.3): returns [data, size, overflow].
 * A missing file gives ['', 0, false]; another IO error ['', offset, false].
 */
export function tailLogFile(path: string, offset: number, length: number): TailResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return ['', isErrno(err, 'ENOENT') ? 0 : offset, false];
  }
  try {
    const size = fstatSync(fd).size;
    let overflow = false;
    if (size > offset + length) {
      overflow = true;
      offset = size - 1;
    }
    if (offset + length > size) {
      if (offset > size - 1) length = 0;
      offset = size - length;
    }
    offset = Math.max(0, offset);
    length = Math.max(0, length);
    const data = length === 0 ? '' : readRange(fd, offset, Math.min(length, Math.max(0, size - offset)));
    return [data, size, overflow];
  } catch {
    return ['', offset, false];
  } finally {
    closeSync(fd);
  }
}

function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw new RpcFault('NO_FILE', path);
    throw new RpcFault('FAILED');
  }
}

function readRange(fd: number, position: number, count: number): string {
  if (count <= 0) return '';
  const buf = Buffer.allocUnsafe(count);
  let filled = 0;
  while (filled < count) {
    const n = readSync(fd, buf, filled, count - filled, position + filled);
    if (n === 0) break; // the file shrank under us
    filled += n;
  }
  return buf.toString('utf8', 0, filled);
}
