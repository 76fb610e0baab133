/*
 * Reads one output pipe of a child. With the native addon, JS hears once per
 * wakeup that the pipe is readable and empties it with a few reads into a
 * buffer that is reused: no allocation and no stream per chunk, and one log
 * write per read. On the node backend it listens to the child's stream.
 */
import { constants as osConstants } from 'node:os';
import type { ProcessConfig } from '../config/types.js';
import { nativeSpawnAddon, type NativeAddon, type OutputChannel, type SpawnedChild } from './fast-spawn.js';

export interface OutputPumpHandlers {
  /**
   * Bytes from the pipe, in order. When `transient`, the chunk's memory is
   * reused once this returns: copy it to keep it.
   */
  data(chunk: Buffer, transient: boolean): void;
  /** The pipe is finished: every writer closed it, or reading it failed. */
  end?(): void;
}

export interface OutputPump {
  /**
   * Read what the pipe holds right now, synchronously (native pipes only).
   * Once the child has exited its output is all in the pipe, so this delivers
   * it before the exit is acted on.
   */
  drain(): void;
  /** Stop reading and let go of the pipe. */
  close(): void;
  /**
   * The child has exited and drain() ran: let go of the pipe, as supervisord
   * closes its ends of a child's pipes once the child is reaped (a grandchild
   * still holding them writes into a closed pipe, and no descriptor lingers
   * past the process). Streams (the node backend) read on to their end:
   * drain() cannot read them synchronously, and node's exit event does not
   * wait for them to end.
   */
  releaseAfterExit(): void;
}

/**
 * Bytes per read, and so per log write: supervisord's read size, so a log
 * overshoots maxbytes by at most what supervisord's would. Not more: with
 * 1 MiB writes ext4 puts the data in large folios, and on this kind of VM
 * filling fresh large folios costs ~10× the system time (200 MiB: ~0.45 s
 * in 1 MiB writes, ~0.04 s in 128–512 KiB writes).
 */
export const READ_BYTES = 128 * 1024;
/** Reads per wakeup at most (a 1 MiB pipe), so one busy child cannot hold the event loop. */
const READS_PER_WAKEUP = 8;
/** drain() reads at most two pipes-full: all an exited child can have left, even if a grandchild keeps writing. */
const DRAIN_READS = 16;
const EAGAIN = osConstants.errno.EAGAIN;

/**
 * Start reading `channel` of `child`; undefined when the child has no such
 * pipe (stderr merged into stdout).
 */
export function pumpOutput(child: SpawnedChild, channel: OutputChannel, handlers: OutputPumpHandlers): OutputPump | undefined {
  const addon = nativeSpawnAddon();
  const fd = addon ? child.takeOutputFd(channel) : undefined;
  if (addon && fd !== undefined) return new NativePump(addon, fd, handlers);
  const stream = channel === 'stdout' ? child.stdout : child.stderr;
  if (!stream) return undefined;
  return streamPump(stream, handlers);
}

/**
 * Whether a process's output on `channel` is needed as bytes beyond its log
 * file: PROCESS_LOG events, capture mode, or an event listener's protocol.
 */
export function outputBytesWanted(config: ProcessConfig, channel: OutputChannel): boolean {
  const settings = config[channel];
  return settings.eventsEnabled || settings.captureMaxbytes > 0 || (channel === 'stdout' && config.listener !== undefined);
}

// ---- the shared read buffer ----

let sharedBuffer: Buffer | undefined;
let sharedInUse = false;

/** The reused buffer, or a fresh one when a handler reads another pipe while the shared one is lent out. */
function borrowBuffer(): Buffer {
  if (sharedInUse) return Buffer.allocUnsafeSlow(READ_BYTES);
  sharedInUse = true;
  sharedBuffer ??= Buffer.allocUnsafeSlow(READ_BYTES);
  return sharedBuffer;
}

function returnBuffer(buffer: Buffer): void {
  if (buffer === sharedBuffer) sharedInUse = false;
}

// ---- native pipes ----

class NativePump implements OutputPump {
  readonly #addon: NativeAddon;
  readonly #fd: number;
  readonly #handlers: OutputPumpHandlers;
  readonly #watch: number;
  #open = true;

  constructor(addon: NativeAddon, fd: number, handlers: OutputPumpHandlers) {
    this.#addon = addon;
    this.#fd = fd;
    this.#handlers = handlers;
    this.#watch = addon.watchReadable(fd, () => this.#readSome(READS_PER_WAKEUP));
  }

  drain(): void {
    this.#readSome(DRAIN_READS);
  }

  /** Read until the pipe is empty (a short read), it ends, or `reads` reads were made. */
  #readSome(reads: number): void {
    for (let i = 0; i < reads; i++) {
      if (this.#readOnce() < READ_BYTES) return;
    }
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#addon.unwatch(this.#watch);
  }

  releaseAfterExit(): void {
    this.close();
  }

  /** One read; returns what readInto returned. */
  #readOnce(): number {
    if (!this.#open) return 0;
    const buffer = borrowBuffer();
    let n: number;
    try {
      n = this.#addon.readInto(this.#fd, buffer);
      if (n > 0) this.#handlers.data(buffer.subarray(0, n), true);
    } finally {
      returnBuffer(buffer);
    }
    if (n === 0 || (n < 0 && n !== -EAGAIN)) this.#finish();
    return n;
  }

  #finish(): void {
    if (!this.#open) return;
    this.close();
    this.#handlers.end?.();
  }
}

// ---- node streams (the fallback backend) ----

function streamPump(stream: NodeJS.ReadableStream & { destroy(): void }, handlers: OutputPumpHandlers): OutputPump {
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    handlers.end?.();
  };
  stream.on('data', (chunk: Buffer) => handlers.data(chunk, false));
  stream.on('end', finish);
  stream.on('close', finish);
  // A read error ends the pipe; it must not become an uncaught exception.
  stream.on('error', () => {});
  return {
    drain: () => {},
    close: () => stream.destroy(),
    releaseAfterExit: () => {},
  };
}
