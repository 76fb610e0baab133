import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubStore, type HubStoreOptions } from '../../hub/store/index.js';
import type { HubEvent } from '../../hub/types.js';

export interface TempStore {
  store: HubStore;
  dir: string;
  path: string;
  reopen(options?: HubStoreOptions): HubStore;
  cleanup(): void;
}

/** A store on a real file in a fresh temp dir. */
export function tempStore(options: HubStoreOptions = {}): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'fv-hub-store-'));
  const path = join(dir, 'hub.db');
  const temp: TempStore = {
    store: HubStore.open(path, options),
    dir,
    path,
    reopen(reopenOptions = options) {
      temp.store.close();
      temp.store = HubStore.open(path, reopenOptions);
      return temp.store;
    },
    cleanup() {
      temp.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return temp;
}

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

/** A reported state change of `agent`'s group:process. */
export function stateEvent(
  agent: string,
  process: string,
  toState: string,
  time: number,
  serial: number | null,
  extra: Partial<HubEvent> = {},
): HubEvent {
  return {
    agent,
    boot: 'boot-1',
    serial,
    time,
    type: `PROCESS_STATE_${toState}`,
    group: extra.group ?? process,
    process,
    toState,
    observed: serial === null,
    ...extra,
  };
}
