/**
 * Operations counted by action and final status, for the hub's /metrics.
 * (A signal operation is logged as `signal HUP`; it counts as `signal`.)
 */
import type { Db } from './db.js';

export interface OperationCount {
  action: string;
  status: string;
  count: number;
}

export function operationCounts(db: Db): OperationCount[] {
  const rows = db.prepare('SELECT action, status, count(*) AS n FROM operations GROUP BY action, status').all() as Array<{ action: string; status: string; n: number }>;
  const merged = new Map<string, OperationCount>();
  for (const row of rows) {
    const action = row.action.split(' ')[0];
    const key = `${action}\u0000${row.status}`;
    const entry = merged.get(key) ?? { action, status: row.status, count: 0 };
    entry.count += row.n;
    merged.set(key, entry);
  }
  return [...merged.values()].sort((a, b) => (a.action + a.status < b.action + b.status ? -1 : 1));
}
