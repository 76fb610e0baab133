/**
 * `npm run bench`: runs every scenario against fleetvisord and, when
 * /usr/bin/supervisord exists, against supervisord in the same run; prints a
 * table and writes bench/results/latest.{json,md} (a full, unfiltered run) or
 * bench/results/partial.{json,md} (--quick or a filter).
 *
 *   node --import tsx bench/run.ts [--quick] [--no-supervisord] [--list] [SCENARIO_FILTER...]
 *
 * A filter keeps the scenarios whose id contains it (case-insensitive).
 * Expects dist/ to be built (scripts/bench.js does that).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Daemon, killAllDaemons, REPO_ROOT, SUPERVISORD_BIN, type DaemonKind } from './daemons.js';
import { consoleTable, jsonReport, markdownReport, resultRows, writeReport, type KindSamples, type ResultRow, type RunInfo } from './report.js';
import type { RunContext, Scenario } from './scenario.js';
import { eventLatencyScenario } from './scenarios/event-latency.js';
import { floorsScenario } from './scenarios/floors.js';
import { footprintScenario } from './scenarios/footprint.js';
import { logTailScenario } from './scenarios/log-tail.js';
import { logThroughputScenario } from './scenarios/log-throughput.js';
import { rateScenarios } from './scenarios/rpc-rate.js';
import { spawnScenarios } from './scenarios/spawn.js';
import { stopStartScenario } from './scenarios/stop-start.js';

/** In run order; the call-rate and footprint scenarios share one daemon per kind, so they stay together. */
const SCENARIOS: Scenario[] = [
  floorsScenario,
  ...spawnScenarios,
  ...rateScenarios,
  footprintScenario,
  stopStartScenario,
  logThroughputScenario,
  eventLatencyScenario,
  logTailScenario,
];

interface Options {
  quick: boolean;
  supervisord: boolean;
  list: boolean;
  filter: string[];
}

const USAGE = 'usage: npm run bench -- [--quick] [--no-supervisord] [--list] [SCENARIO_FILTER...]';

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, supervisord: true, list: false, filter: [] };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg === '--no-supervisord') options.supervisord = false;
    else if (arg === '--list') options.list = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}; ${USAGE}`);
    else options.filter.push(arg.toLowerCase());
  }
  return options;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Shared daemons, by kind and key, kept until no later scenario needs them. */
class SharedDaemons {
  private readonly entries = new Map<string, Promise<Daemon>>();

  get(kind: DaemonKind, key: string, start: () => Promise<Daemon>): Promise<Daemon> {
    const id = `${kind}/${key}`;
    let entry = this.entries.get(id);
    if (!entry) {
      entry = start();
      entry.catch(() => {}); // the scenario that awaits it reports the failure
      this.entries.set(id, entry);
    }
    return entry;
  }

  releaseUnless(keysStillNeeded: Set<string>): void {
    for (const [id, entry] of this.entries) {
      if (keysStillNeeded.has(id.slice(id.indexOf('/') + 1))) continue;
      this.entries.delete(id);
      entry.then((daemon) => daemon.kill(), () => {});
    }
  }
}

async function runOne(scenario: Scenario, kind: DaemonKind, options: Options, shared: SharedDaemons): Promise<KindSamples> {
  const result: KindSamples = { samples: {} };
  const owned: Daemon[] = [];
  let open = true;
  const ctx: RunContext = {
    quick: options.quick,
    pick: (full, quick) => (options.quick ? quick : full),
    shared: (daemonKind, key, start) => shared.get(daemonKind, key, start),
    own: (daemon) => {
      owned.push(daemon);
      if (!open) daemon.kill();
      return daemon;
    },
    log: (message) => log(`${scenario.id} [${kind}] ${message}`),
  };
  const sink = {
    add(metricId: string, value: number) {
      if (open) (result.samples[metricId] ??= []).push(value);
    },
  };
  const started = performance.now();
  try {
    await withTimeout(scenario.run(kind, ctx, sink), scenario.timeoutMs, `${scenario.id} on ${kind}`);
  } catch (err) {
    result.error = firstLine(err);
    log(`${scenario.id} [${kind}] failed: ${result.error}`);
  } finally {
    open = false;
    for (const daemon of owned) daemon.kill();
  }
  log(`${scenario.id} [${kind}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** One more round's samples added to the earlier rounds'; the first error stays. */
function mergeSamples(earlier: KindSamples | undefined, round: KindSamples): KindSamples {
  if (!earlier) return round;
  for (const [metricId, values] of Object.entries(round.samples)) (earlier.samples[metricId] ??= []).push(...values);
  earlier.error ??= round.error;
  return earlier;
}

function supervisordVersion(): string | null {
  try {
    return `supervisord ${execFileSync(SUPERVISORD_BIN, ['--version'], { encoding: 'utf8' }).trim()}`;
  } catch {
    return null;
  }
}

function loadAverage(): number[] {
  return os.loadavg().map((n) => Number(n.toFixed(2)));
}

function installExitHandlers(): void {
  process.on('exit', killAllDaemons);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: killing the daemons under test`);
      killAllDaemons();
      process.exit(130);
    });
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const selected = SCENARIOS.filter(
    (scenario) => options.filter.length === 0 || options.filter.some((part) => scenario.id.toLowerCase().includes(part)),
  );
  if (options.list) {
    for (const scenario of SCENARIOS) console.log(`${scenario.id.padEnd(24)} ${scenario.title}`);
    return;
  }
  if (selected.length === 0) throw new Error(`no scenario matches ${options.filter.join(' ')}; try --list`);
  installExitHandlers();

  const kinds: DaemonKind[] = ['fleetvisord'];
  const supervisord = options.supervisord && existsSync(SUPERVISORD_BIN) ? supervisordVersion() : null;
  if (supervisord !== null) kinds.push('supervisord');
  else log(options.supervisord ? `${SUPERVISORD_BIN} not found: measuring fleetvisord only` : 'measuring fleetvisord only');

  const info: RunInfo = {
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    filter: options.filter,
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: [],
    durationSeconds: 0,
    supervisord,
  };
  const started = performance.now();
  const shared = new SharedDaemons();
  const rows: ResultRow[] = [];
  for (const [index, scenario] of selected.entries()) {
    log(`${scenario.id}: ${scenario.title}`);
    const runs: Partial<Record<DaemonKind, KindSamples>> = {};
    const rounds = scenario.alternateRounds ? scenario.alternateRounds[options.quick ? 'quick' : 'full'] : 1;
    for (let round = 0; round < rounds; round++) {
      for (const kind of kinds) runs[kind] = mergeSamples(runs[kind], await runOne(scenario, kind, options, shared));
    }
    rows.push(...resultRows(scenario, runs));
    shared.releaseUnless(new Set(selected.slice(index + 1).flatMap((later) => later.shares ?? [])));
  }
  info.durationSeconds = Math.round((performance.now() - started) / 1000);
  info.loadAverageAtEnd = loadAverage();

  console.log(`\n${consoleTable(rows)}\n`);
  const full = !options.quick && options.filter.length === 0 && supervisord !== null;
  const base = join(REPO_ROOT, 'bench', 'results', full ? 'latest' : 'partial');
  writeReport(`${base}.json`, jsonReport(rows, info));
  writeReport(`${base}.md`, markdownReport(rows, selected, info));
  log(`wrote ${base}.json and ${base}.md${full ? '' : ' (a quick, filtered or fleetvisord-only run never replaces latest.*)'}`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  killAllDaemons();
  process.exitCode = 1;
});
