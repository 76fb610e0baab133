/**
 * The shape of a benchmark scenario: what it measures (metrics with units and
 * targets) and how it runs against one daemon kind.
 */
import type { Daemon, DaemonKind } from './daemons.js';

export type Better = 'lower' | 'higher';

export type Verdict = 'pass' | 'fail' | 'n/a';

/** The summaries a target may look at. */
export interface TargetInput {
  fleetvisord: number;
  /** undefined when supervisord was not measured or failed. */
  supervisord: number | undefined;
  /** Every fleetvisord summary of the same scenario, by metric id. */
  siblings: Record<string, number>;
}

export interface Target {
  /** As printed in the table, e.g. `≤ 0.5 s` or `≥ 1.3× supervisord`. */
  text: string;
  check(input: TargetInput): Verdict;
}

export interface Metric {
  id: string;
  label: string;
  unit: string;
  better: Better;
  /** How the samples become one number; default median. */
  summary?: 'median' | 'mean';
  target?: Target;
}

export interface SampleSink {
  add(metricId: string, value: number): void;
}

export interface RunContext {
  quick: boolean;
  /** `full` normally, `quick` with --quick. */
  pick<T>(full: T, quick: T): T;
  /** A daemon shared by the scenarios that name `key` in `shares`; started once per kind. */
  shared(kind: DaemonKind, key: string, start: () => Promise<Daemon>): Promise<Daemon>;
  /** Registers a daemon so it is killed when the scenario ends, however it ends. */
  own(daemon: Daemon): Daemon;
  log(message: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  /** How it is measured, for the markdown report. */
  method: string;
  metrics: Metric[];
  /** Keys of shared daemons this scenario uses (see RunContext.shared). */
  shares?: string[];
  /** Upper bound for one kind's run; the run is abandoned (n/a) past it. */
  timeoutMs: number;
  /**
   * Run this many rounds (full, quick), alternating the daemons round by
   * round (fleetvisord, supervisord, fleetvisord, …) instead of all of one
   * daemon's rounds and then the other's, so a change in machine load moves
   * both sides alike; `run` then measures one round.
   */
  alternateRounds?: { full: number; quick: number };
  run(kind: DaemonKind, ctx: RunContext, samples: SampleSink): Promise<void>;
}

export function atMost(limit: number, unitText: string): Target {
  return {
    text: `≤ ${limit} ${unitText}`.trim(),
    check: ({ fleetvisord }) => (fleetvisord <= limit ? 'pass' : 'fail'),
  };
}

export function atLeast(limit: number, unitText: string): Target {
  return {
    text: `≥ ${limit} ${unitText}`.trim(),
    check: ({ fleetvisord }) => (fleetvisord >= limit ? 'pass' : 'fail'),
  };
}

/** fleetvisord ≤ factor × supervisord. */
export function atMostTimesSupervisord(factor: number): Target {
  return {
    text: factor === 1 ? '≤ supervisord' : `≤ ${factor}× supervisord`,
    check: ({ fleetvisord, supervisord }) =>
      supervisord === undefined ? 'n/a' : fleetvisord <= factor * supervisord ? 'pass' : 'fail',
  };
}

/** fleetvisord ≥ factor × supervisord. */
export function atLeastTimesSupervisord(factor: number): Target {
  return {
    text: factor === 1 ? '≥ supervisord' : `≥ ${factor}× supervisord`,
    check: ({ fleetvisord, supervisord }) =>
      supervisord === undefined ? 'n/a' : fleetvisord >= factor * supervisord ? 'pass' : 'fail',
  };
}

/** This metric (a mean) at most `slack` above a sibling metric (its median). */
export function withinOf(siblingId: string, slack: number, unitText: string): Target {
  return {
    text: `≤ median + ${slack} ${unitText}`,
    check: ({ fleetvisord, siblings }) => {
      const other = siblings[siblingId];
      return other === undefined ? 'n/a' : fleetvisord <= other + slack ? 'pass' : 'fail';
    },
  };
}
