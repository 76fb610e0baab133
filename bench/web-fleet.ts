/**
 * The web view with 100 hosts × 20 processes, served by the REAL
 * fleetvisor-hub, in Debian's Chromium with the browser tests' flags: how
 * long from navigation until the process table is on screen (idle, and
 * while changes arrive), and whether the page stays responsive while ~100
 * process state changes a second arrive over its live stream (long tasks
 * and input delay seen by PerformanceObserver inside the page, frames per
 * second, typing into the search box and scrolling during the storm).
 *
 * Two shared cores cannot run 100 daemons with 2,000 children plus
 * Chromium, so `--real` real fleetvisord agents run and the hub follows
 * each under hosts/real names (bench/web-fleet-real.ts): the hub really
 * follows 100 agents and holds 2,000 rows from live daemons. The changes
 * are real stop/start calls on the real agents, at the rate that makes the
 * hub see `--rate` changes a second counting the aliases; the rate the page
 * actually received is counted on its own EventSource.
 *
 *   npx tsc -p . && node --import tsx bench/web-fleet.ts [--hosts 100] [--per-host 20] [--real 10] [--rate 100] [--seconds 10] [--runs 5] [--write]
 *
 * --write stores bench/results/web-fleet.md and .json. Exit code 0 when
 * both targets are met (median load ≤ 1 s; input delay ≤ 100 ms and
 * ≥ 30 frames/s during the storm).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { REPO } from '../test/hub-fleet/agents.js';
import { cpuBetween, sampleCpu, type CpuShare } from './web-fleet-cpu.js';
import { interact, measureLoad, openProbedPage, startCounting, stopCounting, type LoadSample } from './web-fleet-page.js';
import { startRealFleet, StateChanger, type RealFleet } from './web-fleet-real.js';
import { LOAD_BUDGET_MS, renderMarkdown, summarizeLoads, summarizeStorm, type ApiTiming, type StormInput, type WebFleetResult } from './web-fleet-report.js';

interface Options {
  hosts: number;
  'per-host': number;
  real: number;
  rate: number;
  seconds: number;
  runs: number;
}

function parseOptions(argv: readonly string[]): { options: Options; write: boolean } {
  const options: Options = { hosts: 100, 'per-host': 20, real: 10, rate: 100, seconds: 10, runs: 5 };
  let write = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--write') {
      write = true;
      continue;
    }
    const key = argv[i]!.replace(/^--/, '') as keyof Options;
    const value = Number(argv[++i]);
    if (!(key in options) || !Number.isFinite(value) || value < 1) {
      throw new Error(`usage: web-fleet.ts [--hosts N] [--per-host N] [--real N] [--rate N] [--seconds N] [--runs N] [--write] (bad ${argv[i - 1]})`);
    }
    options[key] = value;
  }
  options.real = Math.min(options.real, options.hosts);
  return { options, write };
}

/** Times GET /api/v1/processes (the page's big request) from Node, `runs` times. */
async function timeProcessesApi(fleet: RealFleet, runs: number): Promise<ApiTiming> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    const answer = await fetch(`${fleet.url}/api/v1/processes`, { headers: { authorization: `Bearer ${fleet.token}`, 'accept-encoding': 'gzip' } });
    bytes = (await answer.arrayBuffer()).byteLength;
    samples.push(performance.now() - began);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { runs: samples.map(Math.round), medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!), bytes };
}

async function loads(browser: Browser, url: string, total: number, runs: number): Promise<LoadSample[]> {
  await measureLoad(browser, url, total); // warms the HTTP cache and the hub's JIT; not counted
  const samples: LoadSample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measureLoad(browser, url, total));
  return samples;
}

/** Typing and scrolling for `seconds` with the probe counting, while `changer` (if any) makes changes. */
async function interactionPhase(page: Page, seconds: number, changer: StateChanger | undefined): Promise<{ input: StormInput; cpu: CpuShare }> {
  await startCounting(page);
  const pageStart = (await page.evaluate('performance.now()')) as number;
  const began = sampleCpu();
  changer?.start();
  const actions = await interact(page, seconds);
  const cpu = cpuBetween(began, sampleCpu());
  const pageStop = (await page.evaluate('performance.now()')) as number;
  const changes = (await changer?.stop()) ?? { calls: 0, faults: 0, expectedHubChanges: 0, seconds: (pageStop - pageStart) / 1000 };
  await page.waitForTimeout(1000); // let the last changes arrive
  const probe = await stopCounting(page);
  const shownAfter = await page.locator('.section-head .muted').innerText();
  const headerCounts = await page.locator('.section-head .state-counts').innerText();
  return { input: { probe, pageStart, pageStop, changes, actions, callsPerSecond: changer?.callsPerSecond ?? 0, shownAfter, headerCounts }, cpu };
}

async function main(): Promise<void> {
  const { options, write } = parseOptions(process.argv.slice(2));
  const total = options.hosts * options['per-host'];
  if (!existsSync(join(REPO, 'dist', 'hub', 'main.js')) || !existsSync(join(REPO, 'dist', 'node-agent', 'main.js'))) throw new Error('build first: npx tsc -p .');
  const built = spawnSync(process.execPath, [join(REPO, 'web', 'build.mjs'), '--no-check'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`web/build.mjs failed: ${built.stderr}`);

  const loadBefore = loadavg();
  const setupBegan = Date.now();
  const fleet = await startRealFleet({ hosts: options.hosts, perHost: options['per-host'], real: options.real });
  const setupSeconds = (Date.now() - setupBegan) / 1000;
  const changer = new StateChanger(fleet, options['per-host'], options.rate);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const apiIdle = await timeProcessesApi(fleet, options.runs);
    const idleLoadsBegan = sampleCpu();
    const idle = await loads(browser, fleet.url, total, options.runs);
    const idleLoadsCpu = cpuBetween(idleLoadsBegan, sampleCpu());

    // Responsiveness: one page, a person typing and scrolling, first with no changes, then while they arrive.
    const { page, context } = await openProbedPage(browser, fleet.url, total);
    const quiet = await interactionPhase(page, options.seconds, undefined);
    const storm = await interactionPhase(page, options.seconds, changer);
    await context.close();

    // The same load, now while the changes arrive.
    changer.start();
    const apiStorm = await timeProcessesApi(fleet, options.runs);
    const stormLoadsBegan = sampleCpu();
    const stormy = await loads(browser, fleet.url, total, options.runs);
    const stormLoadsCpu = cpuBetween(stormLoadsBegan, sampleCpu());
    const stormLoadChanges = await changer.stop();

    const result: WebFleetResult = {
      command: `node --import tsx bench/web-fleet.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      machine: { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? '?', loadBefore, loadAfter: loadavg() },
      server: `real fleetvisor-hub following ${options.hosts} agents backed by ${options.real} real fleetvisord (each followed under ${options.hosts / options.real} names)`,
      browser: '/usr/bin/chromium headless, flags of test/helpers/browser.ts, viewport 1366×768',
      fleet: { hosts: options.hosts, perHost: options['per-host'], real: options.real, processes: total, setupSeconds },
      api: { idle: apiIdle, storm: apiStorm },
      load: { idle: summarizeLoads(idle), storm: { ...summarizeLoads(stormy), changes: stormLoadChanges } },
      cpu: { idleLoads: idleLoadsCpu, quiet: quiet.cpu, storm: storm.cpu, stormLoads: stormLoadsCpu },
      quiet: summarizeStorm(quiet.input),
      storm: summarizeStorm(storm.input),
    };
    const markdown = renderMarkdown(result);
    console.log(markdown);
    if (write) {
      writeFileSync(join(REPO, 'bench', 'results', 'web-fleet.md'), markdown);
      writeFileSync(join(REPO, 'bench', 'results', 'web-fleet.json'), `${JSON.stringify(result, null, 2)}\n`);
    }
    const loadOk = result.load.idle.medianMs <= LOAD_BUDGET_MS && result.load.storm.medianMs <= LOAD_BUDGET_MS;
    process.exitCode = loadOk && result.storm.responsive ? 0 : 1;
  } finally {
    await browser?.close();
    await fleet.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
