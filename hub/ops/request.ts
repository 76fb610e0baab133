/**
 * Checks an OperationRequest once, fills in the defaults and freezes the
 * result; nothing later re-checks it. Requests come from REST bodies, so
 * every field is checked for its type too.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { parseBatchSize, type BatchSize } from './plan.js';
import { OP_ACTIONS, type OpAction, type OpMode, type OperationRequest } from './types.js';

export const OPS_DEFAULTS = {
  parallel: 16,
  healthTimeoutSeconds: 30,
} as const;

/** A checked request with every default applied. */
export interface OperationSettings {
  user: string;
  action: OpAction;
  selectors: readonly string[];
  signal?: string;
  mode: OpMode;
  parallel: number;
  batch: BatchSize;
  waitMs: number;
  health: HealthUrls | undefined;
  healthTimeoutMs: number;
  pauseMs: number;
  stopOnFailure: boolean;
}

export type HealthUrls = { kind: 'every'; url: string } | { kind: 'per-program'; urls: Readonly<Record<string, string>> };

export function checkRequest(request: OperationRequest): OperationSettings {
  const r = request as Partial<Record<keyof OperationRequest, unknown>>;
  if (typeof r.user !== 'string' || r.user === '') throw bad('user: a non-empty string is required');
  if (typeof r.action !== 'string' || !(OP_ACTIONS as readonly string[]).includes(r.action)) {
    throw bad(`action '${String(r.action)}': expected one of ${OP_ACTIONS.join(', ')}`);
  }
  const action = r.action as OpAction;
  if (!Array.isArray(r.selectors) || r.selectors.length === 0 || !r.selectors.every((s) => typeof s === 'string')) {
    throw bad('selectors: a non-empty list of strings is required');
  }
  if (r.mode !== 'parallel' && r.mode !== 'rolling') throw bad(`mode '${String(r.mode)}': expected parallel or rolling`);
  const signal = checkSignal(action, r.signal);
  const settings: OperationSettings = {
    user: r.user,
    action,
    selectors: Object.freeze([...(r.selectors as string[])]),
    ...(signal !== undefined ? { signal } : {}),
    mode: r.mode,
    parallel: positiveInteger(r.parallel, 'parallel') ?? OPS_DEFAULTS.parallel,
    batch: parseBatchSize(r.batch as number | string | undefined),
    waitMs: seconds(r.waitSeconds, 'waitSeconds') ?? 0,
    health: checkHealthUrls(r.healthUrl),
    healthTimeoutMs: seconds(r.healthTimeoutSeconds, 'healthTimeoutSeconds') ?? OPS_DEFAULTS.healthTimeoutSeconds * 1000,
    pauseMs: seconds(r.pauseSeconds, 'pauseSeconds') ?? 0,
    stopOnFailure: optionalBoolean(r.stopOnFailure, 'stopOnFailure') ?? r.mode === 'rolling',
  };
  if (r.mode === 'parallel' && r.batch !== undefined) throw bad('batch: only a rolling operation has batches');
  if (r.mode === 'parallel' && r.pauseSeconds !== undefined) throw bad('pauseSeconds: only a rolling operation pauses between batches');
  return Object.freeze(settings);
}

function checkSignal(action: OpAction, value: unknown): string | undefined {
  if (action !== 'signal') {
    if (value !== undefined) throw bad(`signal: only the signal action takes one (action is ${action})`);
    return undefined;
  }
  if (typeof value !== 'string' || !/^(SIG)?[A-Z0-9+-]+$|^\d+$/i.test(value)) {
    throw bad(`signal '${String(value)}': a signal name (HUP, SIGUSR1) or number is required`);
  }
  return value;
}

function checkHealthUrls(value: unknown): HealthUrls | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'every', url: checkUrl(value, 'healthUrl') };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('healthUrl: a URL, or an object of program → URL, is expected');
  }
  const urls: Record<string, string> = {};
  for (const [program, url] of Object.entries(value)) {
    if (typeof url !== 'string') throw bad(`healthUrl[${program}]: a URL string is expected`);
    urls[program] = checkUrl(url, `healthUrl[${program}]`);
  }
  return { kind: 'per-program', urls: Object.freeze(urls) };
}

function checkUrl(text: string, field: string): string {
  // Placeholders are not valid in a host name; check the URL with them filled in.
  const probe = text.replaceAll('{agent}', 'agent').replaceAll('{host}', 'host');
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    throw bad(`${field} '${text}': not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad(`${field} '${text}': only http:// and https:// are polled`);
  return text;
}

function positiveInteger(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw bad(`${field} '${String(value)}': a whole number ≥ 1 is expected`);
  return value;
}

/** Seconds (fractions allowed) → ms. */
function seconds(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(`${field} '${String(value)}': a number of seconds ≥ 0 is expected`);
  return Math.round(value * 1000);
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw bad(`${field} '${String(value)}': true or false is expected`);
  return value;
}

function bad(message: string): FleetvisorError {
  return new FleetvisorError('FV_OPS_BAD_REQUEST', message);
}
