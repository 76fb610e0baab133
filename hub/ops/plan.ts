/**
 * Targets → batches.
 *
 * parallel: one batch holding every target (the runner bounds how many run
 * at once).
 *
 * rolling: a batch is N HOSTS, not N processes: every selected process of a
 * host goes in the same batch. Capacity behind a load balancer is counted in
 * hosts, and taking a host out once (all its processes together) beats
 * taking it out once per process. `batch` is a count of hosts or a share of
 * the selected hosts ("25%", rounded up, at least 1). Hosts go in name order;
 * within a batch, targets go by host then namespec. So restarting one program
 * on 3 hosts with batch 1 goes host by host.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { compare } from './selectors.js';
import type { OpMode, Target } from './types.js';

export interface Batch<T extends Target = Target> {
  /** 1-based. */
  index: number;
  targets: T[];
}

export type BatchSize = { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export function parseBatchSize(value: number | string | undefined): BatchSize {
  if (value === undefined) return { kind: 'count', count: 1 };
  const bad = (): FleetvisorError =>
    new FleetvisorError('FV_OPS_BAD_REQUEST', `batch '${String(value)}' is neither a count of hosts (1, 2, …) nor a share of them (1% … 100%)`);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw bad();
    return { kind: 'count', count: value };
  }
  const match = /^\s*(\d+)\s*(%?)\s*$/.exec(value);
  if (match === null) throw bad();
  const amount = Number(match[1]);
  if (match[2] === '%') {
    if (amount < 1 || amount > 100) throw bad();
    return { kind: 'percent', percent: amount };
  }
  if (amount < 1) throw bad();
  return { kind: 'count', count: amount };
}

/** Hosts per batch for `hostCount` selected hosts: ceil for a share, never below 1 nor above hostCount. */
export function hostsPerBatch(size: BatchSize, hostCount: number): number {
  const wanted = size.kind === 'count' ? size.count : Math.ceil((size.percent * hostCount) / 100);
  return Math.max(1, Math.min(wanted, Math.max(hostCount, 1)));
}

export function planBatches<T extends Target>(targets: readonly T[], mode: OpMode, size: BatchSize = { kind: 'count', count: 1 }): Batch<T>[] {
  const ordered = [...targets].sort((a, b) => compare(a.agent, b.agent) || compare(a.namespec, b.namespec));
  if (ordered.length === 0) return [];
  if (mode === 'parallel') return [{ index: 1, targets: ordered }];
  const hosts = [...new Set(ordered.map((target) => target.agent))];
  const perBatch = hostsPerBatch(size, hosts.length);
  const batches: Batch<T>[] = [];
  for (let first = 0; first < hosts.length; first += perBatch) {
    const members = new Set(hosts.slice(first, first + perBatch));
    batches.push({ index: batches.length + 1, targets: ordered.filter((target) => members.has(target.agent)) });
  }
  return batches;
}
