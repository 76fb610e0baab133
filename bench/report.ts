/**
 * Turning measured samples into result rows, and rows into the console
 * table, bench/results/*.json and the markdown table the README embeds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DaemonKind } from './daemons.js';
import { mean, median } from './measure.js';
import type { Metric, Scenario, Verdict } from './scenario.js';

/** One daemon kind's outcome for one metric. */
export interface Measured {
  /** The summary (median or mean of the samples); undefined when nothing was measured. */
  value: number | undefined;
  samples: number[];
  /** Why the run failed or stopped early, if it did. */
  error?: string;
}

export interface ResultRow {
  scenario: string;
  title: string;
  metric: string;
  label: string;
  unit: string;
  better: Metric['better'];
  summary: 'median' | 'mean';
  target: string | null;
  fleetvisord: Measured;
  /** null when supervisord was not part of the run. */
  supervisord: Measured | null;
  /** fleetvisord ÷ supervisord. */
  ratio: number | null;
  verdict: Verdict;
}

export interface RunInfo {
  generatedAt: string;
  quick: boolean;
  filter: string[];
  node: string;
  cpus: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  durationSeconds: number;
  supervisord: string | null;
}

export type KindSamples = { samples: Record<string, number[]>; error?: string };

function round(value: number): number {
  return Number(value.toPrecision(4));
}

function measured(metric: Metric, run: KindSamples): Measured {
  const samples = run.samples[metric.id] ?? [];
  const summarize = metric.summary === 'mean' ? mean : median;
  const value = samples.length > 0 ? summarize(samples) : undefined;
  return { value, samples, ...(run.error !== undefined ? { error: run.error } : {}) };
}

export function resultRows(scenario: Scenario, runs: Partial<Record<DaemonKind, KindSamples>>): ResultRow[] {
  const fvRun = runs.fleetvisord ?? { samples: {}, error: 'not run' };
  const siblings: Record<string, number> = {};
  for (const metric of scenario.metrics) {
    const value = measured(metric, fvRun).value;
    if (value !== undefined) siblings[metric.id] = value;
  }
  return scenario.metrics.map((metric) => {
    const fleetvisord = measured(metric, fvRun);
    const supervisord = runs.supervisord ? measured(metric, runs.supervisord) : null;
    const sdValue = supervisord?.value;
    const ratio = fleetvisord.value !== undefined && sdValue !== undefined && sdValue !== 0 ? fleetvisord.value / sdValue : null;
    const verdict: Verdict =
      metric.target === undefined || fleetvisord.value === undefined
        ? 'n/a'
        : metric.target.check({ fleetvisord: fleetvisord.value, supervisord: sdValue, siblings });
    return {
      scenario: scenario.id,
      title: scenario.title,
      metric: metric.id,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      summary: metric.summary ?? 'median',
      target: metric.target?.text ?? null,
      fleetvisord,
      supervisord,
      ratio,
      verdict,
    };
  });
}

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return String(Number(value.toPrecision(2)));
}

function cell(result: Measured | null, unit: string): string {
  if (result === null) return '—';
  if (result.value === undefined) return 'n/a';
  return `${formatNumber(result.value)} ${unit}${result.error !== undefined ? ' (partial)' : ''}`;
}

function ratioCell(row: ResultRow): string {
  return row.ratio === null ? '—' : `${formatNumber(row.ratio)}×`;
}

const HEADERS = ['Scenario', 'Metric', 'fleetvisord', 'supervisord', 'fv/sd', 'Target', 'Result'];

function tableCells(row: ResultRow): string[] {
  const statistic = row.summary === 'mean' ? 'mean' : 'median';
  return [
    row.scenario,
    `${row.label} (${statistic} of ${row.fleetvisord.samples.length})`,
    cell(row.fleetvisord, row.unit),
    cell(row.supervisord, row.unit),
    ratioCell(row),
    row.target ?? '—',
    row.verdict,
  ];
}

/** Every failure, once per scenario and daemon kind. */
function failures(rows: ResultRow[]): string[] {
  const notes = new Set<string>();
  for (const row of rows) {
    if (row.fleetvisord.error) notes.add(`${row.scenario}, fleetvisord: ${row.fleetvisord.error}`);
    if (row.supervisord?.error) notes.add(`${row.scenario}, supervisord: ${row.supervisord.error}`);
  }
  return [...notes];
}

export function consoleTable(rows: ResultRow[]): string {
  const body = rows.map(tableCells);
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]): string => cells.map((text, i) => text.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const notes = failures(rows);
  if (notes.length > 0) out.push('', 'Not measured / stopped early:', ...notes.map((note) => `  ${note}`));
  return out.join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownReport(rows: ResultRow[], scenarios: Scenario[], info: RunInfo): string {
  const args = [...(info.quick ? ['--quick'] : []), ...info.filter];
  const command = args.length > 0 ? `npm run bench -- ${args.join(' ')}` : 'npm run bench';
  const out = [
    `Measured by \`${command}\` on ${info.generatedAt.slice(0, 10)}: ${info.cpus}, Node ${info.node}, ` +
      `${info.supervisord ?? 'no supervisord'}; load average ${info.loadAverageAtStart.map((n) => n.toFixed(2)).join(' ')} at start, ` +
      `${info.loadAverageAtEnd.map((n) => n.toFixed(2)).join(' ')} at the end; ` +
      `${Math.round(info.durationSeconds)} s in all. fv/sd is fleetvisord ÷ supervisord; each value is the median ` +
      '(or mean, where the metric says so) of the samples.',
    '',
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${tableCells(row).map(escapeMarkdown).join(' | ')} |`),
    '',
  ];
  const notes = failures(rows);
  if (notes.length > 0) out.push('Not measured / stopped early:', '', ...notes.map((note) => `- ${escapeMarkdown(note)}`), '');
  out.push('How each scenario is measured:', '');
  for (const scenario of scenarios) out.push(`- **${scenario.id}** — ${scenario.title}. ${scenario.method}`);
  return `${out.join('\n')}\n`;
}

function roundedMeasured(result: Measured): Measured {
  return {
    value: result.value === undefined ? undefined : round(result.value),
    samples: result.samples.map(round),
    ...(result.error !== undefined ? { error: result.error } : {}),
  };
}

export function jsonReport(rows: ResultRow[], info: RunInfo): string {
  const results = rows.map((row) => ({
    ...row,
    fleetvisord: roundedMeasured(row.fleetvisord),
    supervisord: row.supervisord === null ? null : roundedMeasured(row.supervisord),
    ratio: row.ratio === null ? null : round(row.ratio),
  }));
  return `${JSON.stringify({ ...info, results }, (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
}

export function writeReport(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
