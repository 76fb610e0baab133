/**
 * Time bounds as users write them: epoch milliseconds, an ISO date, or a
 * span back from now ('30s', '30m', '2h', '7d', '2w').
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])$/;

export type TimeSpec = number | string;

/** The epoch-ms instant `spec` names; relative spans count back from `now`. */
export function parseTimeSpec(spec: TimeSpec, now: number = Date.now()): number {
  if (typeof spec === 'number') {
    if (Number.isFinite(spec)) return spec;
  } else {
    const text = spec.trim();
    const relative = RELATIVE.exec(text);
    if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]];
    if (/^\d+$/.test(text)) return Number(text);
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
      const parsed = Date.parse(text);
      if (Number.isFinite(parsed)) return parsed;
    }
  }
  throw new FleetvisorError(
    'FV_STORE_BAD_INPUT',
    `unreadable time ${JSON.stringify(spec)}: use epoch milliseconds, an ISO date, or a span like 30m, 2h, 7d`,
  );
}
