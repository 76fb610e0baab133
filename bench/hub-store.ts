/**
 * The hub store's speed: ingest rate of synthetic events, and history
 * queries over a large store.
 *
 *   node --import tsx bench/hub-store.ts [--rows N] [--ingest N] [--batch N] [--runs N] [--hosts N] [--procs N] [--regenerate] [--ingest-only]
 *
 * --rows      events in the query store (default 10,000,000), cached as
 *             .bench/hub-store-<rows>-<hosts>x<procs>.db and reused by later runs
 * --ingest    events for the ingest-rate run (default 200,000) into a fresh file,
 *             as dense per process as the query store's
 * --batch     events per ingest call for the ingest-rate run (default 500)
 * --runs      repetitions per query (default 200; summaries run runs/10)
 *
 * Targets (issue 4): ingest ≥ 50,000 events/s; host+process+time window
 * p95 ≤ 50 ms; 30-day fleet summary p95 ≤ 500 ms.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubStore } from '../hub/store/index.js';
import type { AgentSpec, HubEvent } from '../hub/types.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CACHE_DIR = join(ROOT, '.bench');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const SPAN = 30 * DAY;
const GENERATE_CHUNK = 50_000;

interface Options {
  rows: number;
  ingest: number;
  batch: number;
  runs: number;
  hosts: number;
  procs: number;
  regenerate: boolean;
  queries: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { rows: 10_000_000, ingest: 200_000, batch: 500, runs: 200, hosts: 200, procs: 10, regenerate: false, queries: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--regenerate') options.regenerate = true;
    else if (arg === '--ingest-only') options.queries = false;
    else if (['--rows', '--ingest', '--batch', '--runs', '--hosts', '--procs'].includes(arg)) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${arg} needs a positive integer`);
      options[arg.slice(2) as 'rows'] = value;
    } else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** A deterministic fleet: hosts named host-NNN, each with procs processes cycling through realistic states. */
class SyntheticFleet {
  readonly agents: AgentSpec[];
  readonly processes: string[];
  #seed = 12345;
  readonly #serial: number[];
  readonly #state: string[];

  constructor(readonly hosts: number, readonly procs: number) {
    this.agents = Array.from({ length: hosts }, (_, h) => ({
      name: `host-${String(h).padStart(3, '0')}`,
      url: `http://10.0.${h >> 8}.${h & 255}:9001`,
      tags: [h % 2 === 0 ? 'dc-east' : 'dc-west', h % 10 === 0 ? 'db' : 'web'],
      source: 'config' as const,
    }));
    this.processes = Array.from({ length: procs }, (_, p) => (p < procs / 2 ? `web-${p}` : `worker-${p}`));
    this.#serial = new Array<number>(hosts).fill(0);
    this.#state = new Array<string>(hosts * procs).fill('STOPPED');
  }

  random(): number {
    this.#seed = (this.#seed * 1103515245 + 12345) % 2147483648;
    return this.#seed / 2147483648;
  }

  /** The next event of a random process of a random host, at `time`. */
  next(time: number): HubEvent {
    const host = Math.floor(this.random() * this.hosts);
    const proc = Math.floor(this.random() * this.procs);
    const slot = host * this.procs + proc;
    const from = this.#state[slot];
    const roll = this.random();
    let to: string;
    let expected: boolean | undefined;
    switch (from) {
      case 'STOPPED':
      case 'EXITED':
      case 'FATAL':
        to = 'STARTING';
        break;
      case 'STARTING':
        to = roll < 0.95 ? 'RUNNING' : 'BACKOFF';
        break;
      case 'BACKOFF':
        to = roll < 0.5 ? 'STARTING' : 'FATAL';
        break;
      case 'RUNNING':
        if (roll < 0.6) {
          to = 'EXITED';
          expected = false;
        } else if (roll < 0.8) {
          to = 'EXITED';
          expected = true;
        } else to = 'STOPPING';
        break;
      default:
        to = 'STOPPED';
    }
    this.#state[slot] = to;
    const agent = this.agents[host].name;
    const process = this.processes[proc];
    const group = process.startsWith('web') ? 'web' : 'workers';
    const pid = 1000 + Math.floor(this.random() * 60000);
    const event: HubEvent = {
      agent,
      boot: `boot-${agent}`,
      serial: ++this.#serial[host],
      time,
      type: `PROCESS_STATE_${to}`,
      group,
      process,
      fromState: from,
      toState: to,
      pid,
      observed: false,
      payload: `processname:${process} groupname:${group} from_state:${from} pid:${pid}`,
    };
    if (expected !== undefined) event.expected = expected;
    return event;
  }
}

function byAgent(events: HubEvent[]): Map<string, HubEvent[]> {
  const groups = new Map<string, HubEvent[]>();
  for (const event of events) {
    let list = groups.get(event.agent);
    if (list === undefined) groups.set(event.agent, (list = []));
    list.push(event);
  }
  return groups;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function benchIngest(options: Options): number {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `ingest-${process.pid}.db`);
  const store = HubStore.open(path);
  try {
    const fleet = new SyntheticFleet(options.hosts, options.procs);
    // The same event density per process as the query store: 10M events in 30 days over the fleet.
    const span = (SPAN * options.ingest) / options.rows;
    const start = Date.now() - span;
    const step = span / options.ingest;
    // Connectors hand over one agent's events per call: pre-build per-agent batches so only storing is timed.
    const batches: Array<[string, HubEvent[]]> = [];
    const pending = new Map<string, HubEvent[]>();
    for (let i = 0; i < options.ingest; i++) {
      const event = fleet.next(Math.floor(start + i * step));
      let list = pending.get(event.agent);
      if (list === undefined) pending.set(event.agent, (list = []));
      list.push(event);
      if (list.length === options.batch) {
        batches.push([event.agent, list]);
        pending.delete(event.agent);
      }
    }
    for (const [agent, list] of pending) batches.push([agent, list]);
    const began = performance.now();
    for (const [agent, list] of batches) store.events.ingest(agent, list, `${list[0].boot}:${list.at(-1)!.serial}`);
    const seconds = (performance.now() - began) / 1000;
    return options.ingest / seconds;
  } finally {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

function queryStorePath(options: Options): string {
  return join(CACHE_DIR, `hub-store-${options.rows}-${options.hosts}x${options.procs}.db`);
}

function generate(options: Options, path: string): void {
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const fleet = new SyntheticFleet(options.hosts, options.procs);
  const store = HubStore.open(partial, { configAgents: fleet.agents });
  const end = Date.now();
  const start = end - SPAN;
  const step = SPAN / options.rows;
  const began = performance.now();
  const chunkTx = store.db.transaction((events: HubEvent[]) => {
    for (const [agent, list] of byAgent(events)) store.events.ingest(agent, list, `${list[0].boot}:${list.at(-1)!.serial}`);
  });
  for (let done = 0; done < options.rows; ) {
    const count = Math.min(GENERATE_CHUNK, options.rows - done);
    const events = Array.from({ length: count }, (_, i) => fleet.next(Math.floor(start + (done + i) * step)));
    chunkTx(events);
    done += count;
    if (done % 1_000_000 === 0 || done === options.rows) {
      const seconds = (performance.now() - began) / 1000;
      process.stderr.write(`  generated ${done.toLocaleString('en')} rows in ${seconds.toFixed(0)} s (${Math.round(done / seconds).toLocaleString('en')}/s)\n`);
    }
  }
  store.db.exec('ANALYZE');
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  renameSync(partial, path);
}

interface QueryResult {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  rows: number;
  target?: number;
}

function time(name: string, runs: number, body: (i: number) => number, target?: number): QueryResult {
  body(0); // warm the page cache and the statement cache
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    rows += body(i);
    samples.push(performance.now() - began);
  }
  return { name, runs, p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples), rows: Math.round(rows / runs), target };
}

function benchQueries(options: Options, path: string): QueryResult[] {
  const store = HubStore.open(path);
  try {
    const fleet = new SyntheticFleet(options.hosts, options.procs);
    const now = (store.db.prepare('SELECT max(time) AS t FROM events').get() as { t: number }).t;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(fleet.random() * list.length)];
    const windowStart = (): number => now - SPAN + Math.floor(fleet.random() * (SPAN - 6 * HOUR));
    const results: QueryResult[] = [];
    results.push(
      time('host+process, 6 h window, newest 100', options.runs, () => {
        const since = windowStart();
        return store.history.query({ hosts: [pick(fleet.agents).name], processes: [pick(fleet.processes)], since, until: since + 6 * HOUR }, now).events.length;
      }, 50),
    );
    results.push(
      time('host+process, 7 d window, page 2 (keyset)', options.runs, () => {
        const filter = { hosts: [pick(fleet.agents).name], processes: [pick(fleet.processes)], since: '7d', limit: 100 };
        const first = store.history.query(filter, now);
        return store.history.query({ ...filter, after: first.next }, now).events.length;
      }, 50),
    );
    results.push(
      time('host glob web-* processes, 24 h, oldest first', options.runs, () => {
        return store.history.query({ hosts: [pick(fleet.agents).name], processes: ['web-*'], since: now - DAY - Math.floor(fleet.random() * 20 * DAY), order: 'asc' }, now).events.length;
      }),
    );
    results.push(time('fleet, newest 100 (no filter)', options.runs, () => store.history.query({}, now).events.length));
    results.push(time('fleet, FATAL in last 24 h', options.runs, () => store.history.query({ states: ['FATAL'], since: '24h' }, now).events.length));
    results.push(time('tag dc-east, type PROCESS_STATE_FATAL, 7 d', Math.max(5, options.runs / 10), () => store.history.query({ tags: ['dc-east'], types: ['PROCESS_STATE_FATAL'], since: '7d' }, now).events.length));
    const summaryRuns = Math.max(5, Math.round(options.runs / 10));
    results.push(time('30-day summary, per host, whole fleet', summaryRuns, () => store.summaries.summarize({ since: '30d' }, now - Math.floor(fleet.random() * HOUR)).length, 500));
    results.push(time('30-day summary, across hosts', summaryRuns, () => store.summaries.summarize({ since: '30d', acrossHosts: true }, now).length, 500));
    results.push(time('1-day summary, one host', options.runs, () => store.summaries.summarize({ hosts: [pick(fleet.agents).name], since: '1d' }, now).length));
    results.push(time('flapping (5 exits in 10 min)', options.runs, () => store.summaries.flapping({}, now).length));
    return results;
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(CACHE_DIR, { recursive: true });
  console.log(`hub store bench: ${options.hosts} hosts x ${options.procs} processes, node ${process.version}`);

  const rate = benchIngest(options);
  console.log(`ingest: ${Math.round(rate).toLocaleString('en')} events/s (${options.ingest.toLocaleString('en')} events, batches of ${options.batch}; target ≥ 50,000) ${rate >= 50_000 ? 'OK' : 'MISSED'}`);

  if (!options.queries) return;
  const path = queryStorePath(options);
  if (options.regenerate || !existsSync(path)) {
    console.log(`generating ${options.rows.toLocaleString('en')} events into ${path} …`);
    generate(options, path);
  }
  console.log(`query store: ${path} (${(statSync(path).size / 2 ** 20).toFixed(0)} MiB)`);
  const results = benchQueries(options, path);
  const nameWidth = Math.max(...results.map((r) => r.name.length));
  console.log(`${'query'.padEnd(nameWidth)}  runs   p50 ms   p95 ms   max ms   rows  target`);
  for (const r of results) {
    const verdict = r.target === undefined ? '' : `${r.target} ${r.p95 <= r.target ? 'OK' : 'MISSED'}`;
    console.log(`${r.name.padEnd(nameWidth)}  ${String(r.runs).padStart(4)}  ${fmt(r.p50).padStart(7)}  ${fmt(r.p95).padStart(7)}  ${fmt(r.max).padStart(7)}  ${String(r.rows).padStart(5)}  ${verdict}`);
  }
}

await main();
