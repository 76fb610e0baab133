/**
 * Agent credentials never leave the hub: URLs lose their user:password@
 * part, and error texts that quote an agent's URL or password are cleaned
 * where they are made (the connector's health), before anything stores,
 * answers or streams them.
 */
import type { AgentSpec } from './types.js';

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
