/**
 * Differential scenarios as data: a list of steps (a supervisorctl command,
 * an RPC call, a wait, an arbitrary action) with the exact expected outcome,
 * run against any daemon kind. The same steps also produce a normalised
 * transcript, so two daemons can be compared line for line.
 */
import assert from 'node:assert/strict';
import type { Daemon } from './daemon.js';
import { normalize } from './normalize.js';
import type { XmlRpcValue } from './xmlrpc-mini.js';

export interface CtlStep {
  /** supervisorctl arguments, space-separated (no argument contains a space). */
  ctl: string;
  stdout: string;
  code: number;
  stderr?: string;
  barePids?: boolean;
  sortLines?: boolean;
  /** Other stdouts supervisord itself produces depending on timing (e.g. spawn error vs abnormal termination). */
  orStdout?: string[];
}

export interface RpcStep {
  rpc: string;
  params?: XmlRpcValue[];
  /** Expected value (after `{dir}` normalisation of strings). */
  result?: XmlRpcValue;
  fault?: { faultCode: number; faultString: string };
}

export interface WaitStep {
  /** namespec → state, e.g. `{ sleeper: 'RUNNING' }`. */
  waitFor: Record<string, string>;
  timeoutMs?: number;
}

export interface ActionStep {
  /** Shown in the transcript. */
  action: string;
  run: (d: Daemon) => Promise<unknown> | void;
}

export type Step = CtlStep | RpcStep | WaitStep | ActionStep;

export interface Scenario {
  name: string;
  steps: Step[];
}

/** A step of a transcript-only scenario: what to do, without expectations. */
export type TranscriptStep =
  | Pick<CtlStep, 'ctl' | 'barePids' | 'sortLines'>
  | Pick<RpcStep, 'rpc' | 'params'>
  | WaitStep
  | ActionStep;

export interface StepOutcome {
  /** One transcript entry. */
  text: string;
  check(): void;
}

function normalizeValue(value: XmlRpcValue, dir: string): XmlRpcValue {
  if (typeof value === 'string') return normalize(value, { dir });
  if (Array.isArray(value)) return value.map((v) => normalizeValue(v, dir));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeValue(v, dir)]));
  }
  return value;
}

async function runCtl(d: Daemon, step: Pick<CtlStep, 'ctl' | 'barePids' | 'sortLines'> & Partial<CtlStep>): Promise<StepOutcome> {
  const result = await d.ctl(step.ctl.split(' '));
  const opts = { dir: d.dir, barePids: step.barePids, sortLines: step.sortLines };
  const actual = { stdout: normalize(result.stdout, opts), stderr: normalize(result.stderr, opts), code: result.code };
  const racyAlternative = step.orStdout?.includes(actual.stdout) ?? false;
  const expected = { stdout: racyAlternative ? actual.stdout : step.stdout, stderr: step.stderr ?? '', code: step.code };
  const stderrPart = actual.stderr === '' ? '' : `[stderr]\n${actual.stderr}`;
  return {
    text: `$ supervisorctl ${step.ctl}\n${actual.stdout}${stderrPart}[exit ${actual.code}]`,
    check: () => assert.deepEqual(actual, expected, `supervisorctl ${step.ctl}`),
  };
}

async function runRpc(d: Daemon, step: Pick<RpcStep, 'rpc' | 'params'> & Partial<RpcStep>): Promise<StepOutcome> {
  const outcome = await d.rpcOutcome(step.rpc, step.params ?? []);
  const actual =
    'value' in outcome
      ? { result: normalizeValue(outcome.value, d.dir) }
      : { fault: { faultCode: outcome.faultCode, faultString: normalize(outcome.faultString, { dir: d.dir }) } };
  const expected = step.fault !== undefined ? { fault: step.fault } : { result: step.result };
  return {
    text: `> ${step.rpc}(${JSON.stringify(step.params ?? [])})\n${JSON.stringify(actual)}`,
    check: () => assert.deepEqual(actual, expected, `${step.rpc}(${JSON.stringify(step.params ?? [])})`),
  };
}

export async function runStep(d: Daemon, step: Step | TranscriptStep): Promise<StepOutcome> {
  if ('ctl' in step) return runCtl(d, step);
  if ('rpc' in step) return runRpc(d, step);
  if ('waitFor' in step) {
    await d.waitForStates(step.waitFor, step.timeoutMs);
    return { text: `# wait for ${JSON.stringify(step.waitFor)}`, check: () => {} };
  }
  await step.run(d);
  return { text: `# ${step.action}`, check: () => {} };
}

/** Runs every step, asserting each one as it completes. */
export async function runScenario(d: Daemon, scenario: Scenario): Promise<void> {
  for (const step of scenario.steps) (await runStep(d, step)).check();
}

/** Runs every step without asserting; returns the normalised transcript. */
export async function transcriptOf(d: Daemon, steps: readonly TranscriptStep[]): Promise<string> {
  const entries: string[] = [];
  for (const step of steps) entries.push((await runStep(d, step)).text);
  return entries.join('\n');
}
