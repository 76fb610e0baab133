/**
 * Agent credentials never leave the hub: URLs lose their user:password@
 * part, and messages that quote an agent's URL or password are cleaned the
 * same way before an answer or a live message carries them.
 */
import type { AgentHealth, AgentSpec } from './types.js';

export function redactUrl(url: string): string {
  if (url.startsWith('unix://')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

export function redactText(text: string, spec: Pick<AgentSpec, 'url' | 'password'>): string {
  let clean = text;
  const safe = redactUrl(spec.url);
  if (safe !== spec.url) clean = clean.split(spec.url).join(safe);
  if (spec.password !== undefined && spec.password.length >= 3) clean = clean.split(spec.password).join('***');
  return clean;
}

export function redactHealth(health: AgentHealth, spec: Pick<AgentSpec, 'url' | 'password'>): AgentHealth {
  return health.error === undefined ? health : { ...health, error: redactText(health.error, spec) };
}
