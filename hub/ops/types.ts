/**
 * The vocabulary of fleet operations: what a caller asks for, what it acts
 * on, and the progress it hears back.
 */

export const OP_ACTIONS = ['start', 'stop', 'restart', 'signal', 'clear', 'update'] as const;
export type OpAction = (typeof OP_ACTIONS)[number];

export type OpMode = 'parallel' | 'rolling';

/** What a caller (REST API, CLI through the API) asks for. */
export interface OperationRequest {
  /** Who asked; recorded in the operations log. */
  user: string;
  action: OpAction;
  /** `HOSTGLOB/NAMESPEC`, `@TAG/NAMESPEC` or a bare NAMESPEC (every host). */
  selectors: readonly string[];
  /** The signal for action 'signal': a name (HUP, SIGHUP) or a number. */
  signal?: string;
  mode: OpMode;
  /** Targets acted on at once (within a batch when rolling). Default 16. */
  parallel?: number;
  /** Rolling: hosts per batch, a count (2, "2") or a share of the selected hosts ("25%", rounded up). Default 1. */
  batch?: number | string;
  /**
   * After a start, how long each process must stay RUNNING, watched through
   * the fleet's events. The agent's own start already waits startsecs; this
   * adds a window on top. Default 0.
   */
  waitSeconds?: number;
  /** One URL for every target, or one per program (a namespec in either form — `web`, `web:web`, `pool:a` — or a group or name as key). `{agent}` and `{host}` are replaced. */
  healthUrl?: string | Record<string, string>;
  /** How long a health URL may take to answer 2xx before the target fails. Default 30. */
  healthTimeoutSeconds?: number;
  /** Rolling: pause after each batch but the last. Default 0. */
  pauseSeconds?: number;
  /** Skip everything not yet begun after the first failed target. Default: true when rolling, false when parallel. */
  stopOnFailure?: boolean;
}

/** One process on one agent. */
export interface ProcessTarget {
  kind: 'process';
  agent: string;
  group: string;
  name: string;
  /** As supervisorctl prints it: `name` when group and name are equal, else `group:name`. */
  namespec: string;
}

/** One agent as a whole (update: reread its config and apply it to some groups). */
export interface HostTarget {
  kind: 'host';
  agent: string;
  /** Group globs to apply; empty = every group (supervisorctl's `update all`). */
  groups: string[];
  /** What the target is called in progress and the log: `all` or the group globs joined by spaces. */
  namespec: string;
}

export type Target = ProcessTarget | HostTarget;

export type TargetStatus = 'ok' | 'failed' | 'skipped';
export type OperationOutcome = 'succeeded' | 'failed' | 'cancelled';

export interface OutcomeCounts {
  total: number;
  ok: number;
  failed: number;
  skipped: number;
}

export interface BatchProgress {
  type: 'batch';
  /** 1-based. */
  index: number;
  total: number;
  /** `agent/namespec` of each target of the batch. */
  targets: string[];
}

export interface TargetProgress {
  type: 'target';
  agent: string;
  namespec: string;
  status: TargetStatus;
  message: string;
  /** From the target's start to its result (0 when skipped). */
  ms: number;
}

export interface DoneProgress {
  type: 'done';
  status: OperationOutcome;
  counts: OutcomeCounts;
}

export type ProgressEvent = BatchProgress | TargetProgress | DoneProgress;

export function targetLabel(target: Target): string {
  return `${target.agent}/${target.namespec}`;
}
