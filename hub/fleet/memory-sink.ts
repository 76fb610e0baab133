/**
 * TEST STAND-IN for the SQLite store (hub/store): an EventSink that keeps
 * everything in memory and says when anything changed. Not for production:
 * nothing survives the process.
 */
import { EventEmitter } from 'node:events';
import { canonicalNamespec } from '../../node-agent/api/namespec.js';
import type { AgentHealth, HubEvent, ProcessSnapshot } from '../types.js';
import { namespecOf } from './normalize.js';
import type { EventSink, LastKnownTable } from './types.js';

export class MemorySink extends EventEmitter<{ change: [] }> implements EventSink {
  readonly events: HubEvent[] = [];
  readonly cursors = new Map<string, string>();
  readonly snapshots = new Map<string, Map<string, ProcessSnapshot>>();
  readonly healthLog: AgentHealth[] = [];
  #nextId = 1;

  getCursor(agent: string): string | undefined {
    return this.cursors.get(agent);
  }

  ingest(agent: string, events: HubEvent[], cursor?: string): void {
    for (const event of events) this.events.push({ ...event, id: this.#nextId++ });
    if (cursor !== undefined) this.cursors.set(agent, cursor);
    this.emit('change');
  }

  replaceSnapshot(agent: string, rows: ProcessSnapshot[]): void {
    this.snapshots.set(agent, new Map(rows.map((row) => [namespecOf(row), { ...row }])));
    this.emit('change');
  }

  updateSnapshot(agent: string, row: ProcessSnapshot): void {
    let table = this.snapshots.get(agent);
    if (table === undefined) this.snapshots.set(agent, (table = new Map()));
    table.set(namespecOf(row), { ...row });
    this.emit('change');
  }

  onHealth(health: AgentHealth): void {
    this.healthLog.push({ ...health });
    this.emit('change');
  }

  /** Like the store: the agent's table and the boot and time of the last health report with a contact. */
  lastKnown(agent: string): LastKnownTable {
    const rows = [...(this.snapshots.get(agent)?.values() ?? [])].map((row) => ({ ...row }));
    const contact = this.healthLog.filter((health) => health.agent === agent && health.lastContact !== undefined).at(-1);
    if (contact === undefined) return { rows };
    return { rows, ...(contact.boot !== undefined ? { boot: contact.boot } : {}), lastContact: contact.lastContact! };
  }

  eventsOf(agent: string): HubEvent[] {
    return this.events.filter((event) => event.agent === agent);
  }

  health(agent: string): AgentHealth | undefined {
    return this.healthLog.filter((health) => health.agent === agent).at(-1);
  }

  /** `namespec` in either form: `web` or `web:web`. */
  row(agent: string, namespec: string): ProcessSnapshot | undefined {
    return this.snapshots.get(agent)?.get(canonicalNamespec(namespec));
  }

  /** Resolves with `check()`'s first truthy value, re-checked on every change; rejects after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check();
        if (value === undefined || value === false || value === null) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`MemorySink: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('change', attempt);
      };
      if (attempt()) return;
      this.on('change', attempt);
    });
  }
}
