/**
 * A hub stand-in in its own process, for the kill -9 test: one connector
 * writing to a sink whose state (events + cursor) is saved to a JSON file
 * after every ingest, atomically (write + rename), like one SQLite
 * transaction. Usage: connector-child.ts AGENT_URL STATE_FILE
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { AgentConnector } from '../../hub/fleet/connector.js';
import { MemorySink } from '../../hub/fleet/memory-sink.js';
import type { HubEvent } from '../../hub/types.js';

export interface SavedState {
  cursor?: string;
  events: HubEvent[];
}

class FileSink extends MemorySink {
  constructor(private readonly file: string) {
    super();
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
      this.events.push(...saved.events);
      if (saved.cursor !== undefined) this.cursors.set('a', saved.cursor);
    } catch {
      // first run: nothing saved yet
    }
  }

  override ingest(agent: string, events: HubEvent[], cursor?: string): void {
    super.ingest(agent, events, cursor);
    const state: SavedState = { cursor: this.cursors.get('a'), events: this.events };
    writeFileSync(`${this.file}.tmp`, JSON.stringify(state));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

const [url, file] = process.argv.slice(2);
const connector = new AgentConnector(
  { name: 'a', url, tags: [], source: 'config' },
  { sink: new FileSink(file), limit: pLimit(8), timeouts: { callMs: 2000, longPollSeconds: 2 }, pollIntervalMs: 200, backoff: { initialMs: 50, maxMs: 200 } },
);
connector.start();
process.on('SIGTERM', () => void connector.stop().then(() => process.exit(0)));
