import { performance } from 'node:perf_hooks';
import { ProcessState, type ProcessStateName } from '../api/states.js';
import type { ProcessInfo } from '../api/types.js';
import type { ProcessConfig } from '../config/types.js';
import { connectChildOutput } from './child-output.js';
import { cappedInt, describeProcess } from './describe.js';
import { errnoCode, launch, launchFailingStandIn, type LaunchedChild, type LaunchResult } from './launch.js';
import { checkProcessCommand, childFailureLines, planLaunch } from './launch-plan.js';
import { describeExit } from './exit-status.js';
import { signalName } from './signals.js';
import type { CommandCheckError, Subprocess, SubprocessContext } from './types.js';

const SPAWNABLE: ReadonlySet<ProcessStateName> = new Set(['EXITED', 'FATAL', 'BACKOFF', 'STOPPED']);
const SIGKILL = 9;
/** setTimeout's ceiling (~24.8 days); longer delays would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const EXITED_TOO_QUICKLY = 'Exited too quickly (process log may have details)';

/** One spawned child and what we hold of it. */
interface Run {
  readonly launched: LaunchedChild;
  /** performance.now() when spawn() began (supervisord's laststart). */
  readonly startedAt: number;
}

interface Waiter {
  predicate: (state: ProcessStateName) => boolean;
  resolve: (state: ProcessStateName) => void;
}

/**
 * supervisord's Subprocess state machine (compat spec §2.2), driven by child
 * exit events and one timer per state instead of a polling loop: STARTING
 * waits startsecs, BACKOFF waits its delay, STOPPING waits stopwaitsecs.
 */
export class ChildSubprocess implements Subprocess {
  readonly config: ProcessConfig;
  readonly groupName: string;
  readonly #ctx: SubprocessContext;

  #state: ProcessStateName = 'STOPPED';
  #pid = 0;
  #spawnerr = '';
  #laststart = 0;
  #laststop = 0;
  #exitstatus = 0;
  #lastExitExpected = true;
  #backoff = 0;
  /** A stop signal was sent: the next exit is a stop (→ STOPPED). */
  #killing = false;
  #shuttingDown = false;
  #disposed = false;
  #laststopreport = 0;
  /** Counts spawn() calls, so late news of an older attempt is ignored. */
  #attempt = 0;
  #run: Run | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #waiters = new Set<Waiter>();

  constructor(config: ProcessConfig, groupName: string, ctx: SubprocessContext) {
    this.config = config;
    this.groupName = groupName;
    this.#ctx = ctx;
  }

  get state(): ProcessStateName { return this.#state; }
  get pid(): number { return this.#pid; }
  get spawnerr(): string { return this.#spawnerr; }
  get laststart(): number { return this.#laststart; }
  get laststop(): number { return this.#laststop; }
  get exitstatus(): number { return this.#exitstatus; }
  get lastExitExpected(): boolean { return this.#lastExitExpected; }
  get backoff(): number { return this.#backoff; }
  get stdinOpen(): boolean {
    const stdin = this.#run?.launched.stdin;
    return !!stdin && stdin.writable && !stdin.destroyed;
  }

  checkCommand(): CommandCheckError | undefined {
    return checkProcessCommand(this.config, this.#ctx);
  }

  spawn(): string | undefined {
    const name = this.config.name;
    if (this.#disposed) return undefined;
    if (this.#pid) {
      this.#ctx.logger.warn(`process '${name}' already running`);
      return undefined;
    }
    if (!SPAWNABLE.has(this.#state)) {
      this.#ctx.logger.warn(`process '${name}' cannot be started from state ${this.#state}`);
      return undefined;
    }

    this.#attempt += 1;
    const attempt = this.#attempt;
    this.#killing = false;
    this.#spawnerr = '';
    this.#exitstatus = 0;
    this.#laststart = Date.now() / 1000;
    const startedAt = performance.now();
    this.#changeState('STARTING');

    const plan = planLaunch(this.config, this.groupName, this.#ctx);
    if (plan.kind === 'refused') return this.#failBeforeFork(plan.error.message);

    const result = this.#tryLaunch(() =>
      plan.kind === 'launch' ? launch(plan.spec) : launchFailingStandIn(plan.lines, this.config.redirectStderr),
    );
    if (typeof result === 'string') return result;
    return this.#afterLaunch(result, attempt, startedAt, plan.argv0, plan.kind === 'launch');
  }

  stop(): string | undefined {
    this.#laststopreport = 0;
    return this.#kill(this.config.stopsignal);
  }

  stopReport(): void {
    if (this.#state !== 'STOPPING') return;
    const now = Date.now() / 1000;
    if (now > this.#laststopreport + 2) {
      this.#ctx.logger.info(`waiting for ${this.config.name} to stop`);
      this.#laststopreport = now;
    }
  }

  signal(signo: number): string | undefined {
    const name = this.config.name;
    if (!this.#pid) {
      const msg = `attempted to send ${name} sig ${signalName(signo)} but it wasn't running`;
      this.#ctx.logger.debug(msg);
      return msg;
    }
    this.#ctx.logger.debug(`sending ${name} (pid ${this.#pid}) sig ${signalName(signo)}`);
    const failure = this.#send(this.#pid, signo, 'probably just now exited');
    if (failure === undefined) return undefined;
    const msg = `unknown problem sending sig ${name} (${this.#pid}):${failure}`;
    this.#ctx.logger.critical(msg);
    this.#changeState('UNKNOWN');
    return msg;
  }

  stopForShutdown(): void {
    if (this.#state === 'RUNNING' || this.#state === 'STARTING') this.stop();
    else if (this.#state === 'BACKOFF') this.#giveUp();
  }

  writeStdin(data: Buffer): boolean {
    const stdin = this.#run?.launched.stdin;
    if (!stdin || !stdin.writable || stdin.destroyed) return false;
    stdin.write(data);
    return true;
  }

  setShuttingDown(value: boolean): void {
    this.#shuttingDown = value;
    if (value || this.#disposed) return;
    // Shutdown was called off: resume what the shutdown held back.
    if (this.#state === 'BACKOFF' && !this.#timer) this.#scheduleRetry();
    else if (this.#state === 'EXITED') this.#scheduleAutorestart();
  }

  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
  }

  info(now: number = Date.now() / 1000): ProcessInfo {
    const start = cappedInt(this.#laststart);
    const stop = cappedInt(this.#laststop);
    const nowInt = cappedInt(now);
    const logs = this.#ctx.childLogs;
    return {
      name: this.config.name,
      group: this.groupName,
      start,
      stop,
      now: nowInt,
      state: ProcessState[this.#state],
      statename: this.#state,
      spawnerr: this.#spawnerr,
      exitstatus: this.#exitstatus,
      logfile: logs.stdout?.path ?? '',
      stdout_logfile: logs.stdout?.path ?? '',
      stderr_logfile: logs.stderr?.path ?? '',
      pid: this.#pid,
      description: describeProcess({
        name: this.config.name,
        state: this.#state,
        pid: this.#pid,
        start,
        stop,
        now: nowInt,
        spawnerr: this.#spawnerr,
      }),
    };
  }

  waitFor(predicate: (state: ProcessStateName) => boolean): Promise<ProcessStateName> {
    if (predicate(this.#state)) return Promise.resolve(this.#state);
    return new Promise((resolve) => this.#waiters.add({ predicate, resolve }));
  }

  // ---- spawning ----

  #afterLaunch(result: LaunchResult, attempt: number, startedAt: number, argv0: string, mayStandIn: boolean): string | undefined {
    const name = this.config.name;
    if (result.kind === 'started') {
      this.#attach(result.launched, startedAt);
      return undefined;
    }
    const onFailure = (code: string): string | undefined => {
      if (code === 'EAGAIN') return this.#failBeforeFork(`Too many processes in process table to spawn '${name}'`);
      if (code === 'EMFILE' || code === 'ENFILE') return this.#failBeforeFork(`too many open files to spawn '${name}'`);
      if (!mayStandIn) return this.#failBeforeFork(`unknown error during fork for '${name}': ${code}`);
      // The fork "succeeded" and exec failed: supervisord's child reports it and exits 127.
      const lines = childFailureLines(`couldn't exec ${argv0}: ${code}`);
      const standIn = this.#tryLaunch(() => launchFailingStandIn(lines, this.config.redirectStderr));
      return typeof standIn === 'string' ? standIn : this.#afterLaunch(standIn, attempt, startedAt, argv0, false);
    };
    if (result.kind === 'failed') return onFailure(result.code);
    void result.code.then((code) => {
      if (attempt === this.#attempt && this.#state === 'STARTING' && !this.#run) onFailure(code);
    });
    return undefined;
  }

  /** Run a launch; when its pipes cannot even be made, that is a spawn error (returned). */
  #tryLaunch(start: () => LaunchResult): LaunchResult | string {
    try {
      return start();
    } catch (err) {
      const code = errnoCode(err);
      const name = this.config.name;
      return this.#failBeforeFork(
        code === 'EMFILE' || code === 'ENFILE'
          ? `too many open files to spawn '${name}'`
          : `unknown error making dispatchers for '${name}': ${code}`,
      );
    }
  }

  #attach(launched: LaunchedChild, startedAt: number): void {
    const run: Run = { launched, startedAt };
    this.#run = run;
    this.#pid = launched.pid;
    connectChildOutput(launched, this, this.#ctx, (code, signal) => this.#onExit(run, code, signal));

    this.#ctx.logger.info(`spawned: '${this.config.name}' with pid ${launched.pid}`);
    this.#spawnerr = '';
    if (this.config.startsecs <= 0) this.#enterRunning();
    else this.#armTimer(this.config.startsecs * 1000, () => this.#checkStarted());
  }

  #failBeforeFork(message: string): string {
    this.#spawnerr = message;
    this.#ctx.logger.info(`spawnerr: ${message}`);
    this.#enterBackoff();
    return message;
  }

  // ---- timers and transitions ----

  #checkStarted(): void {
    const run = this.#run;
    if (this.#state !== 'STARTING' || !run) return;
    const remaining = this.config.startsecs * 1000 - (performance.now() - run.startedAt);
    if (remaining > 0) this.#armTimer(remaining, () => this.#checkStarted());
    else this.#enterRunning();
  }

  #enterRunning(): void {
    this.#backoff = 0;
    this.#changeState('RUNNING');
    this.#ctx.logger.info(
      `success: ${this.config.name} entered RUNNING state, process has stayed up for > than ${this.config.startsecs} seconds (startsecs)`,
    );
  }

  #enterBackoff(onBackoff?: () => void): void {
    this.#changeState('BACKOFF');
    onBackoff?.();
    if (this.#backoff > this.config.startretries) {
      this.#giveUp();
      this.#ctx.logger.info(`gave up: ${this.config.name} entered FATAL state, too many start retries too quickly`);
    } else {
      this.#scheduleRetry();
    }
  }

  #scheduleRetry(): void {
    this.#armTimer(this.#backoff * 1000, () => {
      if (this.#state === 'BACKOFF' && !this.#shuttingDown && !this.#disposed && this.#backoff <= this.config.startretries) {
        this.spawn();
      }
    });
  }

  #giveUp(): void {
    this.#backoff = 0;
    this.#changeState('FATAL');
  }

  #scheduleAutorestart(): void {
    const { autorestart } = this.config;
    const wanted = autorestart === 'true' || (autorestart === 'unexpected' && !this.#lastExitExpected);
    if (!wanted || this.#shuttingDown || this.#disposed) return;
    this.#armTimer(0, () => {
      if (this.#state === 'EXITED' && !this.#shuttingDown && !this.#disposed) this.spawn();
    });
  }

  /** Called by connectChildOutput once the child's remaining output was delivered. */
  #onExit(run: Run, code: number | null, signal: NodeJS.Signals | null): void {
    if (run !== this.#run) return;
    this.#run = undefined;
    this.#clearTimer();
    this.#laststop = Date.now() / 1000;
    const name = this.config.name;
    const exit = describeExit(code, signal);
    const expected = this.config.exitcodes.includes(exit.status);
    const aliveMs = performance.now() - run.startedAt;
    const logger = this.#ctx.logger;

    if (this.#killing) {
      this.#killing = false;
      this.#exitstatus = exit.status;
      this.#changeState('STOPPED');
      logger[expected ? 'info' : 'warn'](`stopped: ${name} (${exit.text})`);
    } else if (this.#state === 'STARTING' && aliveMs < this.config.startsecs * 1000) {
      this.#exitstatus = 0;
      this.#spawnerr = EXITED_TOO_QUICKLY;
      this.#pid = 0;
      // supervisord logs this line once the process is in BACKOFF.
      this.#enterBackoff(() => logger.warn(`exited: ${name} (${exit.text}; not expected)`));
    } else {
      this.#backoff = 0;
      this.#exitstatus = exit.status;
      if (this.#state === 'STARTING') this.#changeState('RUNNING');
      this.#lastExitExpected = expected;
      if (!expected) this.#spawnerr = `Bad exit code ${exit.status}`;
      this.#changeState('EXITED');
      logger[expected ? 'info' : 'warn'](`exited: ${name} (${exit.text}; ${expected ? 'expected' : 'not expected'})`);
    }
    this.#pid = 0;
    if (this.#state === 'EXITED') this.#scheduleAutorestart();
  }

  // ---- signals ----

  #kill(signo: number): string | undefined {
    const name = this.config.name;
    const logger = this.#ctx.logger;
    if (this.#state === 'BACKOFF') {
      logger.debug(`Attempted to kill ${name}, which is in BACKOFF state.`);
      this.#changeState('STOPPED');
      return undefined;
    }
    if (!this.#pid) {
      const msg = `attempted to kill ${name} with sig ${signalName(signo)} but it wasn't running`;
      logger.debug(msg);
      return msg;
    }
    // The first signal follows stopasgroup, the SIGKILL after stopwaitsecs follows killasgroup.
    const asGroup = this.#state === 'STOPPING' ? this.config.killasgroup : this.config.stopasgroup;
    logger.debug(`killing ${name} (pid ${this.#pid}) ${asGroup ? 'process group ' : ''}with signal ${signalName(signo)}`);

    this.#killing = true;
    this.#changeState('STOPPING');
    this.#armTimer(this.config.stopwaitsecs * 1000, () => this.#stopTimedOut());
    const pid = this.#pid;
    const failure = this.#send(asGroup ? -pid : pid, signo, 'probably just exited');
    if (failure === undefined) return undefined;
    const msg = `unknown problem killing ${name} (${pid}):${failure}`;
    logger.critical(msg);
    this.#changeState('UNKNOWN');
    this.#killing = false;
    return msg;
  }

  #stopTimedOut(): void {
    if (this.#state !== 'STOPPING' || !this.#pid) return;
    this.#ctx.logger.warn(`killing '${this.config.name}' (${this.#pid}) with SIGKILL`);
    this.#kill(SIGKILL);
  }

  /** Deliver a signal; undefined when sent (or the target was already gone), else the error text. */
  #send(target: number, signo: number, goneNote: string): string | undefined {
    try {
      const child = this.#run?.launched.child;
      // Through the child handle (a pidfd on the native backend): a recycled pid is never hit.
      if (child && Math.abs(target) === child.pid) child.kill(signo, { group: target < 0 });
      else process.kill(target, signo);
      return undefined;
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ESRCH') {
        // Its exit event is on the way; the state changes then.
        this.#ctx.logger.debug(
          `unable to signal ${this.config.name} (pid ${this.#pid}), it ${goneNote} on its own: ${String(err)}`,
        );
        return undefined;
      }
      return err instanceof Error ? err.message : String(err);
    }
  }

  // ---- state plumbing ----

  #changeState(to: ProcessStateName): void {
    const from = this.#state;
    if (from === to) return;
    this.#clearTimer();
    this.#state = to;
    if (to === 'BACKOFF') this.#backoff += 1;
    try {
      this.#ctx.onStateChange(this, from, to);
    } catch (err) {
      this.#ctx.logger.critical(`state change handler failed for ${this.config.name}: ${err instanceof Error ? err.stack : String(err)}`);
    }
    for (const waiter of this.#waiters) {
      if (waiter.predicate(to)) {
        this.#waiters.delete(waiter);
        waiter.resolve(to);
      }
    }
  }

  #armTimer(ms: number, fn: () => void): void {
    this.#clearTimer();
    if (this.#disposed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      fn();
    }, Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms))));
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
