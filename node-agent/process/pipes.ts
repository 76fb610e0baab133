import { execFileSync } from 'node:child_process';
import { closeSync, constants as fsConstants, openSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * A pipe whose write end can be given to a child twice (as fd 1 and fd 2),
 * for redirect_stderr. Node offers no pipe(2), and the sockets libuv makes
 * for 'pipe' stdio cannot be shared between two stdio slots, so we make a
 * FIFO, open both ends and unlink it at once: what remains is an anonymous
 * pipe, as supervisord uses.
 */
export interface SharedOutputPipe {
  /** Give this fd to the child; close it in the parent right after spawning. */
  readonly writeFd: number;
  /** The parent's end, wrapped as a stream. */
  readonly reader: Readable;
  /** Close the write end in this process (after the child has its copy). */
  closeWriteEnd(): void;
  /** Abandon the pipe (the spawn failed): close both ends. */
  destroy(): void;
}

let fifoCounter = 0;

/** Throws an errno error (EMFILE, ENOENT of mkfifo, …) when the pipe cannot be made. */
export function openSharedOutputPipe(): SharedOutputPipe {
  fifoCounter += 1;
  const path = join(tmpdir(), `fleetvisor-${process.pid}-${fifoCounter}-${Math.random().toString(36).slice(2)}.fifo`);
  execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
  let readFd: number | undefined;
  let writeFd: number | undefined;
  try {
    // Non-blocking read end first: opening it does not wait for a writer.
    readFd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    writeFd = openSync(path, fsConstants.O_WRONLY);
  } catch (err) {
    if (readFd !== undefined) closeSync(readFd);
    throw err;
  } finally {
    unlinkSync(path);
  }

  const reader = new Socket({ fd: readFd, readable: true, writable: false });
  let writeOpen = true;
  const closeWriteEnd = () => {
    if (!writeOpen) return;
    writeOpen = false;
    closeSync(writeFd);
  };
  return {
    writeFd,
    reader,
    closeWriteEnd,
    destroy: () => {
      closeWriteEnd();
      reader.destroy();
    },
  };
}
