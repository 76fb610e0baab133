import type { ProcessInfo } from '../api/types.js';
import type { ProcessStateName } from '../api/states.js';
import type { ProcessConfig } from '../config/types.js';
import type { ChildLog, Logger } from '../logs/types.js';

/** What a Subprocess needs from the daemon around it. */
export interface SubprocessContext {
  logger: Logger;
  /** Environment every child starts from: the daemon's env plus [supervisord] environment. */
  baseEnv: Record<string, string>;
  /** SUPERVISOR_SERVER_URL for programs whose serverurl is AUTO (undefined: not set). */
  defaultServerUrl?: string;
  /** Open (or reuse) the capture logs for a process; called once per Subprocess. */
  childLogs: { stdout?: ChildLog; stderr?: ChildLog };
  /** Called synchronously on every state change, after the state field changed. */
  onStateChange(proc: Subprocess, from: ProcessStateName, to: ProcessStateName): void;
  /**
   * Raw output as it arrives (after it was written to the log): capture mode, PROCESS_LOG events, listener protocol.
   * A channel in capture mode (`*_capture_maxbytes` > 0) is not written to the log by the process: the receiver
   * writes the text outside the capture tokens.
   */
  onOutput?(proc: Subprocess, channel: 'stdout' | 'stderr', chunk: Buffer): void;
  /**
   * Whether onOutput wants `channel` of `proc` at all (absent: always). When
   * false, output only goes to the log, with no copy per chunk.
   */
  needsOutputBytes?(proc: Subprocess, channel: 'stdout' | 'stderr'): boolean;
}

/** Pre-spawn command check outcome (compat spec §2.3 step 3). */
export interface CommandCheckError {
  fault: 'NO_FILE' | 'NOT_EXECUTABLE';
  message: string;
}

export interface Subprocess {
  readonly config: ProcessConfig;
  readonly groupName: string;
  readonly state: ProcessStateName;
  readonly pid: number;
  readonly spawnerr: string;
  /** Epoch seconds, 0 = never. */
  readonly laststart: number;
  readonly laststop: number;
  readonly exitstatus: number;
  /** Whether the last exit was expected (exit code in exitcodes); for PROCESS_STATE_EXITED events. */
  readonly lastExitExpected: boolean;
  /** Number of consecutive failed start attempts (reset on RUNNING / FATAL / exit from RUNNING). */
  readonly backoff: number;
  readonly stdinOpen: boolean;

  /** supervisord's pre-spawn checks without spawning. */
  checkCommand(): CommandCheckError | undefined;
  /** Start: → STARTING (or BACKOFF on a spawn error). Returns the spawn error text, if any. */
  spawn(): string | undefined;
  /** Stop with stopsignal (→ STOPPING; BACKOFF → STOPPED). Returns an error text when the kill failed. */
  stop(): string | undefined;
  /** Deliver a signal; returns an error text when it failed. */
  signal(signo: number): string | undefined;
  /** During daemon shutdown: BACKOFF → FATAL, RUNNING/STARTING → stop. */
  stopForShutdown(): void;
  /** Write to the child's stdin; false when stdin is closed. */
  writeStdin(data: Buffer): boolean;
  /** Never auto-restart again until reset (shutdown/reload). */
  setShuttingDown(value: boolean): void;
  info(now?: number): ProcessInfo;
  /** Resolves when the predicate holds on a state change (or at once). */
  waitFor(predicate: (state: ProcessStateName) => boolean): Promise<ProcessStateName>;
  /** Log INFO `waiting for <n> to stop` while STOPPING, at most every 2 s (supervisord does it while stopProcess waits). */
  stopReport(): void;
  /** The group was removed: cancel pending timers and never spawn again. Does not touch a running child. */
  dispose(): void;
}
