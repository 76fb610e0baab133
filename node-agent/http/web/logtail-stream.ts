import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Readable } from 'node:stream';

/** Bytes of history a new tail starts with. */
export const TAIL_HEAD_BYTES = 1024;
export const TRUNCATED_NOTICE = '==> File truncated <==\n';
const READ_CHUNK = 64 * 1024;
/** Used only when the platform cannot watch the log's directory. */
const FALLBACK_POLL_MS = 250;

interface OpenedFile {
  handle: FileHandle;
  ino: number;
  dev: number;
}

async function openLog(path: string): Promise<(OpenedFile & { size: number; mtime: Date }) | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  try {
    const st = await handle.stat();
    return { handle, ino: st.ino, dev: st.dev, size: st.size, mtime: st.mtime };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * `tail -f` of one log file as a byte stream: the last bytes first, then what
 * is appended. A new file at the path (rotation, clear) is reopened after the
 * old one is read to its end; a file that shrinks gets a notice and is read
 * again from its start. Woken by directory change events, not by polling.
 */
export class LogFollower extends Readable {
  readonly path: string;
  /** mtime of the file when the tail started (the response's Last-Modified). */
  readonly startedMtime: Date;
  #file: OpenedFile | undefined;
  #position: number;
  #watcher: FSWatcher | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #wantData = false;
  #started = false;
  #ended = false;
  #busy = false;
  #again = false;

  private constructor(path: string, file: OpenedFile, position: number, mtime: Date) {
    super();
    this.path = path;
    this.#file = file;
    this.#position = position;
    this.startedMtime = mtime;
    this.#watch();
  }

  /** Start following `path`; undefined when there is no such file. */
  static async open(path: string, headBytes = TAIL_HEAD_BYTES): Promise<LogFollower | undefined> {
    const opened = await openLog(path);
    if (!opened) return undefined;
    const start = opened.size >= headBytes ? opened.size - headBytes : 0;
    return new LogFollower(path, opened, start, opened.mtime);
  }

  /** End the stream cleanly (the server is closing). */
  finish(): void {
    if (this.destroyed || this.#ended) return;
    this.#ended = true;
    this.#stopWatching();
    this.push(null);
  }

  override _read(): void {
    if (!this.#started) {
      this.#started = true;
      // The consumer is attached: whoever owns the response may send its headers now.
      this.emit('following');
    }
    this.#wantData = true;
    void this.#check();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.#stopWatching();
    const file = this.#file;
    this.#file = undefined;
    if (!file) {
      callback(err);
      return;
    }
    file.handle.close().then(
      () => callback(err),
      () => callback(err),
    );
  }

  #watch(): void {
    const name = basename(this.path);
    try {
      this.#watcher = watch(dirname(this.path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === name) void this.#check();
      });
      this.#watcher.on('error', () => this.#fallBackToPolling());
    } catch {
      this.#fallBackToPolling();
    }
  }

  #fallBackToPolling(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#pollTimer || this.destroyed) return;
    this.#pollTimer = setInterval(() => void this.#check(), FALLBACK_POLL_MS);
    this.#pollTimer.unref();
  }

  #stopWatching(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  #active(): boolean {
    return !this.destroyed && !this.#ended && this.#file !== undefined;
  }

  /** Serialised: events arriving during a pass trigger exactly one more pass. */
  async #check(): Promise<void> {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    try {
      do {
        this.#again = false;
        if (!this.#active()) return;
        await this.#followRename();
        if (!this.#active()) return;
        await this.#pump();
      } while (this.#again);
    } catch (err) {
      if (this.#active()) this.destroy(err as Error);
    } finally {
      this.#busy = false;
    }
  }

  /** A different file now sits at the path: finish the old one, then switch. */
  async #followRename(): Promise<void> {
    let st;
    try {
      st = await stat(this.path);
    } catch {
      return; // unlinked and not yet recreated: keep reading the open file
    }
    const file = this.#file;
    if (!file || (st.ino === file.ino && st.dev === file.dev)) return;
    await this.#pump(true);
    const next = await openLog(this.path);
    if (!next || !this.#active()) {
      await next?.handle.close();
      return;
    }
    await file.handle.close().catch(() => undefined);
    this.#file = next;
    this.#position = 0;
  }

  /** Send what was appended since the last pass; `drain` ignores back-pressure (old file, read to its end once). */
  async #pump(drain = false): Promise<void> {
    const file = this.#file;
    if (!file) return;
    const { size } = await file.handle.stat();
    if (size < this.#position) {
      this.#position = 0;
      this.#wantData = this.push(TRUNCATED_NOTICE);
    }
    while (this.#position < size && (this.#wantData || drain) && this.#active()) {
      const length = Math.min(READ_CHUNK, size - this.#position);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await file.handle.read(buffer, 0, length, this.#position);
      if (bytesRead === 0 || !this.#active()) return;
      this.#position += bytesRead;
      this.#wantData = this.push(buffer.subarray(0, bytesRead));
    }
  }
}

/** The log tails currently open, so they can be counted and ended together. */
export class TailRegistry {
  readonly #followers = new Set<LogFollower>();

  add(follower: LogFollower): void {
    this.#followers.add(follower);
    follower.once('close', () => this.#followers.delete(follower));
    follower.once('end', () => this.#followers.delete(follower));
  }

  get size(): number {
    return this.#followers.size;
  }

  finishAll(): void {
    for (const follower of this.#followers) follower.finish();
  }
}
