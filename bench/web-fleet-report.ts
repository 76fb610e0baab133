/** The web view benchmark's figures: summaries of the raw samples, the verdicts, and the Markdown report. */
import type { CpuShare } from './web-fleet-cpu.js';
import type { LoadSample, Probe } from './web-fleet-page.js';
import type { ChangerStats } from './web-fleet-real.js';

export const LOAD_BUDGET_MS = 1000;
/** Responsive: no input waits longer than this for the main thread… */
export const INPUT_DELAY_BUDGET_MS = 100;
/** …and the page keeps painting at least this often. */
export const MIN_FRAMES_PER_SECOND = 30;

export interface ApiTiming {
  runs: number[];
  medianMs: number;
  bytes: number;
}

export interface LoadSummary {
  runs: number[];
  medianMs: number;
  maxMs: number;
  /** Medians: navigation start → app.js received, → /api/v1/processes sent, → answered. */
  appScriptEndMedianMs: number;
  processesRequestStartMedianMs: number;
  processesResponseEndMedianMs: number;
  processesRequestMedianMs: number;
  processesBytes: number;
  rowsInDom: number;
}

export interface StormSummary {
  seconds: number;
  changerCallsPerSecond: number;
  realCalls: number;
  callFaults: number;
  expectedHubChanges: number;
  /** PROCESS_STATE_* hub-events the page's EventSource received while the changes were made. */
  changesSeenByPage: number;
  changesPerSecondSeenByPage: number;
  /** Lowest and highest count in one whole second of the window. */
  perSecondMin: number;
  perSecondMax: number;
  snapshotMessages: number;
  keystrokes: number;
  wheelScrolls: number;
  framesPerSecond: number;
  longTasks: number;
  longTaskMaxMs: number;
  longTaskTotalMs: number;
  slowInputEvents: number;
  inputDelayP95Ms: number;
  inputDelayMaxMs: number;
  inputDurationMaxMs: number;
  shownAfter: string;
  headerCountsAfter: string;
  responsive: boolean;
}

export interface WebFleetResult {
  command: string;
  date: string;
  machine: { node: string; cores: number; cpu: string; loadBefore: number[]; loadAfter: number[] };
  server: string;
  browser: string;
  fleet: { hosts: number; perHost: number; real: number; processes: number; setupSeconds: number };
  api: { idle: ApiTiming; storm: ApiTiming };
  load: { idle: LoadSummary; storm: LoadSummary & { changes: ChangerStats } };
  /** The same typing and scrolling with no changes arriving, for comparison. */
  quiet: StormSummary;
  storm: StormSummary;
  cpu: { idleLoads: CpuShare; quiet: CpuShare; storm: CpuShare; stormLoads: CpuShare };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const max = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), 0);

export function summarizeLoads(samples: readonly LoadSample[]): LoadSummary {
  const ms = samples.map((sample) => sample.ms);
  return {
    runs: ms.map(Math.round),
    medianMs: Math.round(percentile(ms, 50)),
    maxMs: Math.round(max(ms)),
    appScriptEndMedianMs: Math.round(percentile(samples.map((s) => s.appScriptEndMs), 50)),
    processesRequestStartMedianMs: Math.round(percentile(samples.map((s) => s.processesRequestStartMs), 50)),
    processesResponseEndMedianMs: Math.round(percentile(samples.map((s) => s.processesResponseEndMs), 50)),
    processesRequestMedianMs: Math.round(percentile(samples.map((s) => s.processesRequestMs), 50)),
    processesBytes: samples[0]?.processesBytes ?? 0,
    rowsInDom: samples[0]?.rowsInDom ?? 0,
  };
}

export interface StormInput {
  probe: Probe;
  /** The page's performance.now() when the changes began and when the interaction ended. */
  pageStart: number;
  pageStop: number;
  changes: ChangerStats;
  actions: { typed: number; scrolled: number };
  callsPerSecond: number;
  shownAfter: string;
  headerCounts: string;
}

export function summarizeStorm(input: StormInput): StormSummary {
  const { probe, pageStart, pageStop } = input;
  const seconds = (pageStop - pageStart) / 1000;
  const inWindow = probe.stateChanges.filter((t) => t >= pageStart && t <= pageStop);
  const buckets = Array.from({ length: Math.max(1, Math.floor(seconds)) }, () => 0);
  for (const t of inWindow) {
    const bucket = Math.floor((t - pageStart) / 1000);
    if (bucket < buckets.length) buckets[bucket]!++;
  }
  const framesPerSecond = Math.round(probe.frames / seconds);
  const inputDelayMaxMs = Math.round(max(probe.inputDelays));
  return {
    seconds: Number(seconds.toFixed(1)),
    changerCallsPerSecond: Number(input.callsPerSecond.toFixed(2)),
    realCalls: input.changes.calls,
    callFaults: input.changes.faults,
    expectedHubChanges: input.changes.expectedHubChanges,
    changesSeenByPage: inWindow.length,
    changesPerSecondSeenByPage: Math.round(inWindow.length / seconds),
    perSecondMin: Math.min(...buckets),
    perSecondMax: Math.max(...buckets),
    snapshotMessages: probe.snapshots,
    keystrokes: input.actions.typed,
    wheelScrolls: input.actions.scrolled,
    framesPerSecond,
    longTasks: probe.longTasks.length,
    longTaskMaxMs: Math.round(max(probe.longTasks)),
    longTaskTotalMs: Math.round(probe.longTasks.reduce((a, b) => a + b, 0)),
    slowInputEvents: probe.inputDelays.length,
    inputDelayP95Ms: Math.round(percentile(probe.inputDelays, 95)),
    inputDelayMaxMs,
    inputDurationMaxMs: Math.round(max(probe.inputDurations)),
    shownAfter: input.shownAfter.replace(/\s+/g, ' '),
    headerCountsAfter: input.headerCounts.replace(/\s+/g, ' '),
    responsive: inputDelayMaxMs <= INPUT_DELAY_BUDGET_MS && framesPerSecond >= MIN_FRAMES_PER_SECOND,
  };
}

const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
const loads = (l: readonly number[]): string => l.map((n) => n.toFixed(2)).join(' / ');

export function renderMarkdown(r: WebFleetResult): string {
  const { idle, storm: stormLoad } = r.load;
  const s = r.storm;
  const q = r.quiet;
  const loadOk = idle.medianMs <= LOAD_BUDGET_MS && stormLoad.medianMs <= LOAD_BUDGET_MS;
  return `# Web view with ${r.fleet.hosts} hosts × ${r.fleet.perHost} processes (issue 6)

Produced by \`npx tsc -p . && ${r.command}\` (see the header of bench/web-fleet.ts).

${r.date}, node ${r.machine.node}, ${r.machine.cores} cores (${r.machine.cpu}), load average (1/5/15 min) ${loads(r.machine.loadBefore)} before, ${loads(r.machine.loadAfter)} after. The cores are shared with other engineers' work.

- **Server:** the ${r.server}: ${r.fleet.processes} process rows from live daemons (setup ${r.fleet.setupSeconds.toFixed(0)} s until every row was RUNNING).
- **Browser:** ${r.browser}; signed in as admin through \`POST /api/v1/auth/login\` (session cookie on the browser context).
- **Changes:** real \`supervisor.stopProcess\` / \`supervisor.startProcess\` calls (wait=false) on the real agents, alternating stop and start of one program, ${s.changerCallsPerSecond} calls/s; each call is two state events (STOPPING+STOPPED or STARTING+RUNNING) on its agent, which the hub sees once per name pointing at that agent (${r.fleet.hosts / r.fleet.real}), so ${s.changerCallsPerSecond} × 2 × ${r.fleet.hosts / r.fleet.real} ≈ ${Math.round(s.changerCallsPerSecond * 2 * (r.fleet.hosts / r.fleet.real))} changes/s, arriving in bursts of ${2 * (r.fleet.hosts / r.fleet.real)}. The rate below is what the page's own EventSource received.

## Targets

| target | result | |
| --- | --- | --- |
| page load (navigation → table on screen) ≤ ${LOAD_BUDGET_MS} ms | median ${idle.medianMs} ms idle, ${stormLoad.medianMs} ms during changes | ${verdict(loadOk)} |
| responsive while ~100 changes/s arrive (input delay ≤ ${INPUT_DELAY_BUDGET_MS} ms, ≥ ${MIN_FRAMES_PER_SECOND} frames/s) | ${s.changesPerSecondSeenByPage} changes/s seen by the page; input delay max ${s.inputDelayMaxMs} ms; ${s.framesPerSecond} frames/s | ${verdict(s.responsive)} |

## Page load

Median of ${idle.runs.length} runs after one warm-up, each in a fresh browser context; "on screen" is the first frame with process rows in the DOM and the header counting all ${r.fleet.processes} processes (the table renders only the rows in view: ${idle.rowsInDom} \`tr.process-row\` of ${r.fleet.processes}).

| when | runs (ms) | median | max | nav → app.js received | → /processes sent | → /processes answered | /processes request | /processes body |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${loadRow('idle', idle)}
${loadRow(`during changes (${Math.round(stormLoad.changes.expectedHubChanges / stormLoad.changes.seconds)}/s made)`, stormLoad)}

(The last four are medians from the page's Resource Timing; the step from "answered" to "on screen" is the page's own work: parsing, the store, the first render.)

\`GET /api/v1/processes\` (all ${r.fleet.processes} rows) from Node: idle ${r.api.idle.runs.join(', ')} ms (median ${r.api.idle.medianMs} ms, ${(r.api.idle.bytes / 1024).toFixed(0)} KiB); during changes ${r.api.storm.runs.join(', ')} ms (median ${r.api.storm.medianMs} ms).

## Responsiveness during the changes

One signed-in page showing the whole table; for ${q.seconds} s with no changes, then for ${s.seconds} s while they arrive, the bench types \`host01\` into Search (40 ms between keys), clears it, and scrolls the table 5 × 900 px down and back, over and over, while the changes arrive. Long tasks and input events (Event Timing, ≥ 16 ms) are observed inside the page; frames are counted with requestAnimationFrame.

| measure | no changes | during changes |
| --- | --- | --- |
| real stop/start calls (faults) | – | ${s.realCalls} (${s.callFaults}) |
| state changes the hub should see / the page received in the window | – | ${s.expectedHubChanges} / ${s.changesSeenByPage} |
| changes/s received by the page (whole seconds: min–max) | ${q.changesPerSecondSeenByPage} | ${s.changesPerSecondSeenByPage} (${s.perSecondMin}–${s.perSecondMax}) |
| partial snapshot messages also received | ${q.snapshotMessages} | ${s.snapshotMessages} |
| keystrokes / wheel scrolls | ${q.keystrokes} / ${q.wheelScrolls} | ${s.keystrokes} / ${s.wheelScrolls} |
| frames per second | ${q.framesPerSecond} | ${s.framesPerSecond} |
| long tasks (max, total) | ${q.longTasks} (${q.longTaskMaxMs} ms, ${q.longTaskTotalMs} ms) | ${s.longTasks} (${s.longTaskMaxMs} ms, ${s.longTaskTotalMs} ms) |
| input events ≥ 16 ms | ${q.slowInputEvents} | ${s.slowInputEvents} |
| input delay p95 / max (of those) | ${q.inputDelayP95Ms} ms / ${q.inputDelayMaxMs} ms | ${s.inputDelayP95Ms} ms / ${s.inputDelayMaxMs} ms |
| longest input event (delay + handling + paint) | ${q.inputDurationMaxMs} ms | ${s.inputDurationMaxMs} ms |
| header afterwards | ${q.shownAfter}; ${q.headerCountsAfter} | ${s.shownAfter}; ${s.headerCountsAfter} |

## Where the CPU went

Share of one core (100 % = a whole core) per process kind, from /proc, over each phase; "others" is the machine's busy time not taken by this bench's processes (other engineers' work on the same 2 cores). A browser context closed after each page load takes its renderer with it, whose time then shows under "Chromium other" (the process that reaped it); "other descendants" are short-lived processes seen only once.

| phase | seconds | hub | fleetvisord ×${r.fleet.real} | other descendants | Chromium renderers | Chromium other | bench driver | others | machine busy |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${cpuRow('page loads, idle', r.cpu.idleLoads)}
${cpuRow('typing and scrolling, no changes', r.cpu.quiet)}
${cpuRow('typing and scrolling during changes', r.cpu.storm)}
${cpuRow('page loads during changes', r.cpu.stormLoads)}
`;
}

function loadRow(label: string, l: LoadSummary): string {
  return `| ${label} | ${l.runs.join(', ')} | ${l.medianMs} ms | ${l.maxMs} ms | ${l.appScriptEndMedianMs} ms | ${l.processesRequestStartMedianMs} ms | ${l.processesResponseEndMedianMs} ms | ${l.processesRequestMedianMs} ms | ${(l.processesBytes / 1024).toFixed(0)} KiB |`;
}

function cpuRow(label: string, c: CpuShare): string {
  const p = c.percentOfCore;
  return `| ${label} | ${c.seconds} | ${p.hub} % | ${p.fleetvisord} % | ${p.children} % | ${p['chromium-renderer']} % | ${p['chromium-other']} % | ${p.bench} % | ${c.othersPercentOfCore} % | ${c.machineBusyPercent} % of 2 cores |`;
}
