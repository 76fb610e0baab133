/**
 * Hub figures over a live fleet (issue 4): N real fleetvisord agents on
 * unix sockets × `--procs` `/bin/sleep 600` programs each, one real
 * fleetvisor-hub following them all; state changes driven at a fixed rate
 * straight on the agents (stopProcess / startProcess, wait=false), and for
 * each change the latency from the send to
 *   - the matching event row in the hub's SQLite (read-only, polled every 5 ms),
 *   - the matching `hub-event` on the hub's SSE /api/v1/stream;
 * plus the hub's CPU (utime+stime from /proc) and RSS over the run.
 *
 *   npx tsc -p . && node --import tsx bench/hub-fleet.ts [--agents 100] [--procs 20] [--rate 20]  [--seconds 30] [--batch 10] [--settle 20] [--write]
 *
 * A change is matched by agent, process and the state it ends in (STOPPED
 * for a stop, RUNNING for a start; startsecs=0). Ingest rate and history
 * queries over 10 million events: bench/hub-store.ts.
 * Targets: p50 ≤ 20 ms, p99 ≤ 200 ms. --write appends the run's section
 * to bench/results/hub-fleet.md (creating it with its header).
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { apiLogin, startHubFollowing, waitForProcesses } from '../test/helpers/fleet.js';
import { REPO, startAgent, type TestAgent } from '../test/hub-fleet/agents.js';
import type { HubProcess } from '../test/hub-integration/hub-process.js';

interface Options {
  agents: number;
  procs: number;
  rate: number;
  seconds: number;
  batch: number;
  settle: number;
  write: boolean;
}

const USAGE = 'usage: hub-fleet.ts [--agents N] [--procs N] [--rate PER_S] [--seconds S] [--batch N] [--settle S] [--write]';

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { agents: 100, procs: 20, rate: 20, seconds: 30, batch: 10, settle: 20, write: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--write') {
      options.write = true;
      continue;
    }
    const key = argv[i].replace(/^--/, '') as keyof Options;
    const value = Number(argv[++i]);
    if (!(key in options) || key === 'write' || !Number.isFinite(value) || value <= 0) throw new Error(`${USAGE} (bad ${argv[i - 1]})`);
    (options as unknown as Record<string, number>)[key] = value;
  }
  return options;
}

const PASSWORD = 'bench-hub-fleet-pw';
const AGENT_MAIN = join(REPO, 'dist', 'node-agent', 'main.js');
const HUB_MAIN = join(REPO, 'dist', 'hub', 'main.js');
const RESULTS = join(REPO, 'bench', 'results', 'hub-fleet.md');
const CLOCK_TICKS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string): void => void process.stderr.write(`hub-fleet: ${message}\n`);
const programName = (i: number): string => `p${String(i).padStart(2, '0')}`;
const agentName = (i: number): string => `h${String(i).padStart(3, '0')}`;

/** Everything this bench started, so cleanup can end it whatever happened. */
class Spawned {
  readonly agents: TestAgent[] = [];
  hub?: HubProcess;
  readonly grandchildren = new Set<number>();

  async killAll(): Promise<void> {
    await Promise.all([this.hub?.stop(8000), ...this.agents.map((agent) => agent.dispose())]);
    // fleetvisord puts its children in their own process groups; end any it left behind.
    for (const pid of this.grandchildren) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('/bin/sleep')) process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

interface Agent {
  name: string;
  daemon: TestAgent;
}

function agentPrograms(procs: number): string {
  return Array.from({ length: procs }, (_, i) =>
    [`[program:${programName(i)}]`, 'command=/bin/sleep 600', 'startsecs=0', 'autorestart=false', 'stopwaitsecs=2', ''].join('\n'),
  ).join('\n');
}

interface ProcessInfo {
  name: string;
  group: string;
  statename: string;
  pid: number;
}

async function startBenchAgent(index: number, procs: number, spawned: Spawned): Promise<Agent> {
  const daemon = await startAgent('fleetvisord', agentPrograms(procs), '', 10_000);
  spawned.agents.push(daemon);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const infos = (await daemon.client.call('supervisor.getAllProcessInfo')) as ProcessInfo[];
      for (const info of infos) if (info.pid > 0) spawned.grandchildren.add(info.pid);
      if (infos.length === procs && infos.every((info) => info.statename === 'RUNNING')) return { name: agentName(index), daemon };
    } catch {
      // busy starting
    }
    if (Date.now() > deadline) throw new Error(`agent ${agentName(index)} did not run its ${procs} programs within 120 s`);
    await sleep(200);
  }
}

interface StreamedEvent {
  id: number;
  agent: string;
  time: number;
  process?: string;
  toState?: string;
}

/** Reads the SSE stream, calling onEvent for each hub-event as it arrives. */
async function followStream(url: string, token: string, signal: AbortSignal, onEvent: (event: StreamedEvent) => void): Promise<() => Promise<void>> {
  const answer = await fetch(`${url}/api/v1/stream?kind=hub-event`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
  if (!answer.ok || answer.body === null) throw new Error(`stream: HTTP ${answer.status}`);
  const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
  const pump = async (): Promise<void> => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split('\n');
          if (!lines.includes('event: hub-event')) continue;
          const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
          onEvent(JSON.parse(data) as StreamedEvent);
        }
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  };
  const pumping = pump();
  return () => pumping;
}

/** A change sent to an agent, waiting for its event in the store and on the stream. */
interface Pending {
  sentAt: number;
  /** From the event's own time (the agent's clock, epoch ms) to its arrival on the stream. */
  agentToStreamMs?: number;
  storeMs?: number;
  streamMs?: number;
}

const changeKey = (agent: string, processName: string, toState: string): string => `${agent}|${processName}|${toState}`;

/** Matches the rows and SSE events seen to the changes sent, by agent, process and final state. */
class ChangeTracker {
  readonly pending = new Map<string, Pending>();
  readonly done: Pending[] = [];
  unmatchedStore = 0;
  unmatchedStream = 0;
  rowPresentAtStream = 0;
  rowChecks = 0;
  /** Set once the store is open: whether the row with this id is readable now. */
  rowExists?: (id: number) => boolean;

  sent(key: string): void {
    if (this.pending.has(key)) throw new Error(`a change on ${key} is still pending; lower --rate or raise --agents`);
    this.pending.set(key, { sentAt: performance.now() });
  }

  onStream(event: StreamedEvent): void {
    const key = changeKey(event.agent, event.process ?? '', event.toState ?? '');
    const entry = this.pending.get(key);
    if (entry === undefined || entry.streamMs !== undefined) {
      this.unmatchedStream++;
      return;
    }
    entry.streamMs = performance.now() - entry.sentAt;
    entry.agentToStreamMs = Date.now() - event.time;
    if (this.rowExists !== undefined) {
      this.rowChecks++;
      if (this.rowExists(event.id)) this.rowPresentAtStream++;
    }
    this.settle(key, entry);
  }

  onRow(agent: string, processName: string, toState: string): void {
    const key = changeKey(agent, processName, toState);
    const entry = this.pending.get(key);
    if (entry === undefined || entry.storeMs !== undefined) {
      this.unmatchedStore++;
      return;
    }
    entry.storeMs = performance.now() - entry.sentAt;
    this.settle(key, entry);
  }

  private settle(key: string, entry: Pending): void {
    if (entry.storeMs !== undefined && entry.streamMs !== undefined) {
      this.pending.delete(key);
      this.done.push(entry);
    }
  }
}

/** Polls the hub's SQLite read-only every 5 ms for new event rows; returns a stop function. */
function watchStore(db: Database.Database, tracker: ChangeTracker): () => void {
  const newRows = db.prepare(
    'SELECT e.id AS id, s.agent AS agent, s.process AS process, e.to_state AS toState FROM events e JOIN series s ON s.id = e.series WHERE e.id > ? ORDER BY e.id',
  );
  const byId = db.prepare('SELECT 1 FROM events WHERE id = ?');
  tracker.rowExists = (id) => byId.get(id) !== undefined;
  let lastId = Number((db.prepare('SELECT coalesce(max(id), 0) AS id FROM events').get() as { id: number }).id);
  const poller = setInterval(() => {
    for (const row of newRows.all(lastId) as Array<{ id: number; agent: string; process: string; toState: string | null }>) {
      lastId = row.id;
      tracker.onRow(row.agent, row.process, row.toState ?? '');
    }
  }, 5);
  return () => clearInterval(poller);
}

/**
 * Sends rate × seconds changes, spread round-robin over the agents; each
 * process is touched at most once per round, so a change never overlaps
 * its own previous one. Resolves once every call has answered.
 */
async function driveChanges(agents: readonly Agent[], options: Options, tracker: ChangeTracker): Promise<{ sent: number; errors: number; seconds: number }> {
  const running = new Map<string, boolean>();
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  let errors = 0;
  const calls: Promise<void>[] = [];
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const wait = start + n * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const agent = agents[n % agents.length];
    const processName = programName(Math.floor(n / agents.length) % options.procs);
    const isRunning = running.get(`${agent.name}/${processName}`) ?? true;
    running.set(`${agent.name}/${processName}`, !isRunning);
    const key = changeKey(agent.name, processName, isRunning ? 'STOPPED' : 'RUNNING');
    tracker.sent(key);
    const method = isRunning ? 'supervisor.stopProcess' : 'supervisor.startProcess';
    calls.push(
      agent.daemon.client.call(method, [`${processName}:${processName}`, false]).then(
        () => undefined,
        (err: unknown) => {
          errors++;
          tracker.pending.delete(key);
          log(`${method} ${agent.name} ${processName}: ${(err as Error).message}`);
        },
      ),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(calls);
  return { sent: total, errors, seconds };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

interface RunFigures {
  options: Options;
  startupSeconds: number;
  sent: number;
  sendErrors: number;
  store: number[];
  stream: number[];
  agentToStream: number[];
  unmatchedStore: number;
  unmatchedStream: number;
  storeBeforeStream: number;
  /** SSE events whose row was already readable in SQLite when the event arrived, of those checked. */
  rowPresentAtStream: number;
  rowChecks: number;
  hubCpuPercent: number;
  hubCpuIdlePercent: number;
  hubRssMb: number;
  hubPeakRssMb: number;
  agentsCpuPercent: number;
  benchCpuPercent: number;
  loadBefore: number[];
  loadAtDrive: number[];
  loadAfter: number[];
  actualRate: number;
}

interface Fleet {
  agents: Agent[];
  hub: HubProcess;
  token: string;
  dataDir: string;
}

/** Starts the agents in parallel batches, then the hub, and waits until the hub holds every row RUNNING. */
async function startFleet(root: string, options: Options, spawned: Spawned): Promise<Fleet> {
  const agents: Agent[] = [];
  for (let i = 0; i < options.agents; i += options.batch) {
    const batch = Array.from({ length: Math.min(options.batch, options.agents - i) }, (_, k) => startBenchAgent(i + k, options.procs, spawned));
    agents.push(...(await Promise.all(batch)));
    log(`${agents.length}/${options.agents} agents running their ${options.procs} programs`);
  }
  const hub = await startHubFollowing(root, agents.map((agent) => ({ name: agent.name, url: agent.daemon.url })), PASSWORD);
  spawned.hub = hub;
  const token = await apiLogin(hub.url, 'admin', PASSWORD);
  const rows = options.agents * options.procs;
  await waitForProcesses(hub.url, token, ({ processes, hosts }) => hosts.online === options.agents && processes.length === rows && processes.every((p) => p.state === 'RUNNING'), 180_000);
  return { agents, hub, token, dataDir: join(root, 'data') };
}

const percentOfCore = (ticks: number, seconds: number): number => (ticks / CLOCK_TICKS / seconds) * 100;

async function run(options: Options, spawned: Spawned): Promise<RunFigures> {
  const root = mkdtempSync(join(os.tmpdir(), 'fv-bench-hub-fleet-'));
  const abort = new AbortController();
  let db: Database.Database | undefined;
  try {
    const loadBefore = os.loadavg();
    const began = performance.now();
    const { agents, hub, token, dataDir } = await startFleet(root, options, spawned);
    const startupSeconds = (performance.now() - began) / 1000;
    log(`hub follows ${options.agents} agents × ${options.procs} programs (${startupSeconds.toFixed(0)} s to set up)`);

    const tracker = new ChangeTracker();
    const streamEnded = await followStream(hub.url, token, abort.signal, (event) => tracker.onStream(event));
    db = new Database(join(dataDir, 'hub.sqlite'), { readonly: true, fileMustExist: true });
    const stopWatching = watchStore(db, tracker);

    // Let the spawn burst die down before measuring anything.
    await sleep(options.settle * 1000);
    const agentPids = agents.map((agent) => agent.daemon.pid);
    const agentTicks = (): number => agentPids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
    const loadAtDrive = os.loadavg();

    // The hub following a quiet fleet: long polls only.
    const idleTicks = cpuTicks(hub.pid);
    const idleStart = performance.now();
    await sleep(5000);
    const hubCpuIdlePercent = percentOfCore(cpuTicks(hub.pid) - idleTicks, (performance.now() - idleStart) / 1000);

    const hubTicksBefore = cpuTicks(hub.pid);
    const agentTicksBefore = agentTicks();
    const benchCpuBefore = process.cpuUsage();
    const driveStart = performance.now();
    const drive = await driveChanges(agents, options, tracker);
    const drainDeadline = performance.now() + 10_000;
    while (tracker.pending.size > 0 && performance.now() < drainDeadline) await sleep(20);
    const elapsed = (performance.now() - driveStart) / 1000;
    const hubCpuPercent = percentOfCore(cpuTicks(hub.pid) - hubTicksBefore, elapsed);
    const agentsCpuPercent = percentOfCore(agentTicks() - agentTicksBefore, elapsed);
    const benchUsage = process.cpuUsage(benchCpuBefore);
    const benchCpuPercent = ((benchUsage.user + benchUsage.system) / 1e6 / elapsed) * 100;
    const hubRssMb = statusKb(hub.pid, 'VmRSS') / 1024;
    const hubPeakRssMb = statusKb(hub.pid, 'VmHWM') / 1024;
    stopWatching();
    if (tracker.pending.size > 0) log(`${tracker.pending.size} changes never fully seen (store or stream) within 10 s`);
    abort.abort();
    await streamEnded();

    const { done } = tracker;
    return {
      options,
      startupSeconds,
      sent: drive.sent,
      sendErrors: drive.errors,
      store: done.map((entry) => entry.storeMs!).sort((a, b) => a - b),
      stream: done.map((entry) => entry.streamMs!).sort((a, b) => a - b),
      agentToStream: done.map((entry) => entry.agentToStreamMs!).sort((a, b) => a - b),
      unmatchedStore: tracker.unmatchedStore,
      unmatchedStream: tracker.unmatchedStream,
      rowPresentAtStream: tracker.rowPresentAtStream,
      rowChecks: tracker.rowChecks,
      storeBeforeStream: done.filter((entry) => entry.storeMs! <= entry.streamMs!).length,
      hubCpuPercent,
      hubCpuIdlePercent,
      hubRssMb,
      hubPeakRssMb,
      agentsCpuPercent,
      benchCpuPercent,
      loadBefore,
      loadAtDrive,
      loadAfter: os.loadavg(),
      actualRate: drive.sent / drive.seconds,
    };
  } finally {
    abort.abort();
    db?.close();
    await spawned.killAll();
    rmSync(root, { recursive: true, force: true });
  }
}

function report(f: RunFigures): string {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const row = (what: string, values: number[]): string =>
    `| ${what} | ${values.length} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 90))} | ${ms(percentile(values, 99))} | ${ms(values.at(-1) ?? Number.NaN)} | ${percentile(values, 50) <= 20 && percentile(values, 99) <= 200 ? 'met' : 'NOT met'} |`;
  const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' / ');
  const o = f.options;
  return [
    `## ${o.agents} agents × ${o.procs} processes, ${o.rate} changes/s for ${o.seconds} s`,
    '',
    `${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average (1/5/15 min) ${load(f.loadBefore)} before the setup, ${load(f.loadAtDrive)} when the measuring began (after ${o.settle} s settling), ${load(f.loadAfter)} at the end.`,
    `Setup (agents spawned in batches of ${o.batch}, hub following all of them): ${f.startupSeconds.toFixed(0)} s. Changes sent: ${f.sent} (${f.actualRate.toFixed(1)}/s achieved, ${f.sendErrors} failed), fully matched: ${f.store.length}.`,
    '',
    '| latency from the XML-RPC send to … | changes | p50 | p90 | p99 | max | target p50 ≤ 20 ms, p99 ≤ 200 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('the event row in the hub SQLite (polled every 5 ms)', f.store),
    row('the hub-event on SSE /api/v1/stream', f.stream),
    row("(the event's own time on the agent → SSE, 1 ms clock)", f.agentToStream),
    '',
    '| CPU and memory | value |',
    '| --- | --- |',
    `| hub CPU while driving (utime+stime / wall) | ${f.hubCpuPercent.toFixed(1)} % of one core |`,
    `| hub CPU following the quiet fleet (5 s, before driving) | ${f.hubCpuIdlePercent.toFixed(1)} % of one core |`,
    `| all ${o.agents} agents' CPU while driving, summed | ${f.agentsCpuPercent.toFixed(1)} % of one core |`,
    `| this bench's own CPU while driving (client, SSE reader, 5 ms SQLite poll) | ${f.benchCpuPercent.toFixed(1)} % of one core |`,
    `| hub RSS at the end / peak | ${f.hubRssMb.toFixed(0)} MB / ${f.hubPeakRssMb.toFixed(0)} MB |`,
    '',
    `On each matched SSE event the bench looked the row up by id: present for ${f.rowPresentAtStream} of ${f.rowChecks} (the hub emits after the commit).`,
    `Store row seen no later than the SSE event for ${f.storeBeforeStream} of ${f.store.length} changes (the store latency is quantised by the 5 ms poll). Events not matched to a driven change (intermediate STOPPING/STARTING and others): ${f.unmatchedStore} rows, ${f.unmatchedStream} SSE events.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(AGENT_MAIN) || !existsSync(HUB_MAIN)) throw new Error('build first: npx tsc -p .');
  const spawned = new Spawned();
  const onSignal = (): void => {
    void spawned.killAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const figures = await run(options, spawned);
  const text = report(figures);
  console.log(text);
  if (options.write) {
    if (existsSync(RESULTS)) appendFileSync(RESULTS, `\n${text}`);
    else writeFileSync(RESULTS, `${resultsHeader()}${text}`);
    log(`wrote ${RESULTS}`);
  }
}

function resultsHeader(): string {
  return [
    '# Hub over a live fleet (issue 4)',
    '',
    'Produced by `npx tsc -p . && node --import tsx bench/hub-fleet.ts --write` (see the header of bench/hub-fleet.ts).',
    'Ingest rate of synthetic events and history queries over 10 million events: `node --import tsx bench/hub-store.ts`.',
    '',
    '',
  ].join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
