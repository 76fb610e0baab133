/**
 * Gives memory back to the kernel once a busy spell is over. After a burst
 * of calls V8 keeps the heap it grew to, and glibc keeps the freed pages in
 * its arenas, so a daemon that answered 5,000 calls a second for a minute
 * would hold that memory for the rest of its life. When the daemon has been
 * quiet for a whole period after some activity and its resident size has
 * grown by GROWTH_BYTES since the last release, one full collection and a
 * malloc_trim hand it back. A quiet daemon pays nothing (no timer runs
 * unless there was activity), and a monitor polling every second does not
 * cause a collection per poll (its calls do not grow the daemon).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { nativeSpawnAddon } from '../process/fast-spawn.js';

const QUIET_MS = 500;
const GROWTH_BYTES = 8 * 1024 * 1024;

let collect: (() => void) | undefined;

/** V8's full collection: `gc` when node runs with --expose-gc, else exposed once on first use. */
function fullCollection(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/** One full collection, then the malloc arenas' free pages back to the kernel (when the addon is built). */
export function releaseMemory(): void {
  fullCollection();
  nativeSpawnAddon()?.trimMemory?.();
}

export interface IdleMemoryReleaseOptions {
  release?: () => void;
  residentBytes?: () => number;
  quietMs?: number;
  growthBytes?: number;
}

export class IdleMemoryRelease {
  private timer: NodeJS.Timeout | undefined;
  private activeSinceArmed = false;
  /** Resident size after the last release; the first quiet spell always releases (start-up garbage). */
  private releasedAt = 0;
  private readonly release: () => void;
  private readonly residentBytes: () => number;
  private readonly quietMs: number;
  private readonly growthBytes: number;

  constructor(opts: IdleMemoryReleaseOptions = {}) {
    this.release = opts.release ?? releaseMemory;
    this.residentBytes = opts.residentBytes ?? (() => process.memoryUsage.rss());
    this.quietMs = opts.quietMs ?? QUIET_MS;
    this.growthBytes = opts.growthBytes ?? GROWTH_BYTES;
  }

  /** Something happened (a request, a burst of spawns): release once it has been quiet for a period. */
  touch(): void {
    this.activeSinceArmed = true;
    if (!this.timer) this.arm();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.activeSinceArmed = false;
    this.timer = setTimeout(() => this.onPeriodEnd(), this.quietMs);
    this.timer.unref();
  }

  private onPeriodEnd(): void {
    if (this.activeSinceArmed) {
      this.arm();
      return;
    }
    this.timer = undefined;
    if (this.releasedAt !== 0 && this.residentBytes() - this.releasedAt < this.growthBytes) return;
    this.release();
    this.releasedAt = this.residentBytes();
  }
}
