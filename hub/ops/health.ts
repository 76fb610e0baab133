/**
 * The HTTP health gate of a started process: GET its URL until it answers
 * 2xx, each request with its own timeout, retried at a short interval until
 * the gate's deadline. (The process state comes from events; an HTTP
 * endpoint can only be asked.)
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentSpec } from '../types.js';
import { TargetFailure } from './actions.js';
import type { HealthUrls } from './request.js';
import { CancelledError } from './watch.js';
import type { ProcessTarget } from './types.js';

export interface HealthGateOptions {
  timeoutMs: number;
  /** Between two attempts (default 250 ms). */
  intervalMs?: number;
  /** One request at most (default 5 s, never past the deadline). */
  requestTimeoutMs?: number;
}

/** The URL to poll for `target`, placeholders filled, or undefined when it has none. */
export function healthUrlFor(health: HealthUrls | undefined, target: ProcessTarget, agent: AgentSpec | undefined): string | undefined {
  if (health === undefined) return undefined;
  const template = health.kind === 'every' ? health.url : programUrl(health.urls, target);
  if (template === undefined) return undefined;
  return template.replaceAll('{agent}', target.agent).replaceAll('{host}', hostOf(agent) ?? target.agent);
}

/** A URL keyed by the target's namespec in either form (`web`, `web:web`), else by its group, else by its name. */
function programUrl(urls: Readonly<Record<string, string>>, target: ProcessTarget): string | undefined {
  return urls[target.namespec] ?? urls[`${target.group}:${target.name}`] ?? urls[target.group] ?? urls[target.name];
}

/** The host name in an agent's http(s) URL; undefined for a unix socket. */
function hostOf(agent: AgentSpec | undefined): string | undefined {
  if (agent === undefined || agent.url.startsWith('unix:')) return undefined;
  try {
    return new URL(agent.url).hostname;
  } catch {
    return undefined;
  }
}

export async function waitHealthy(url: string, options: HealthGateOptions, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 250;
  let last = 'no answer yet';
  for (;;) {
    if (signal.aborted) throw new CancelledError();
    const left = deadline - Date.now();
    const requestMs = Math.max(1, Math.min(options.requestTimeoutMs ?? 5000, left));
    try {
      const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(requestMs)]), redirect: 'manual' });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      if (signal.aborted) throw new CancelledError();
      const timedOut = (err as Error).name === 'TimeoutError';
      // A last try cut short by the deadline says less than the answer before it.
      const cutShort = timedOut && requestMs < (options.requestTimeoutMs ?? 5000) && last !== 'no answer yet';
      if (!cutShort) {
        last = timedOut ? `no answer within ${requestMs} ms` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
      }
    }
    if (Date.now() + intervalMs >= deadline) {
      throw new TargetFailure(`health ${url} not healthy within ${options.timeoutMs / 1000} s: ${last}`);
    }
    try {
      await delay(intervalMs, undefined, { signal });
    } catch {
      throw new CancelledError();
    }
  }
}
