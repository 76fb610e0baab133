/*
 * The plumbing of one spawned child: its output pipes feed its log files and
 * the daemon's output receiver (capture mode, PROCESS_LOG events, listener
 * protocol), and its exit is reported only once what it wrote before dying
 * has been read.
 */
import type { OutputChannel } from './fast-spawn.js';
import { errnoCode, type LaunchedChild } from './launch.js';
import { pumpOutput, type OutputPump } from './output-pump.js';
import type { Subprocess, SubprocessContext } from './types.js';

/** What output routing needs from the daemon: the child's log files and the output receiver. */
export type OutputContext = Pick<SubprocessContext, 'logger' | 'childLogs' | 'onOutput' | 'needsOutputBytes'>;

/** How the child ended: node's exit event arguments. */
export type ChildExitHandler = (code: number | null, signal: NodeJS.Signals | null) => void;

/**
 * Read `launched`'s output on behalf of `proc` and listen for its exit.
 * `onExit` is called once, after the output left in the child's pipes was
 * delivered, so the log and output events come before any state change.
 */
export function connectChildOutput(
  launched: LaunchedChild,
  proc: Subprocess,
  ctx: OutputContext,
  onExit: ChildExitHandler,
): void {
  const pumps: OutputPump[] = [];
  let reaped = false;
  launched.child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    // What the child wrote before it died is in its pipes: log it before the exit is reported.
    // On the node backend there is nothing to drain: libuv handles SIGCHLD (node's 'exit') after
    // the other I/O of the same poll, so what the child wrote before exiting was delivered already.
    for (const pump of pumps) pump.drain();
    reaped = true;
    onExit(code, signal);
    for (const pump of pumps) pump.releaseAfterExit();
    launched.stdin?.destroy();
  });
  for (const channel of ['stdout', 'stderr'] as const) {
    const pump = pumpOutput(launched.child, channel, {
      data: (chunk, transient) => deliverOutput(proc, ctx, channel, chunk, transient, !reaped),
    });
    if (pump) pumps.push(pump);
  }
  launched.stdin?.on('error', () => launched.stdin?.destroy());
}

/**
 * `transient`: the chunk's memory is reused after this call, so whatever keeps it gets a copy.
 * `live`: the child's exit was not acted on yet. Streams (the node backend) read on after it,
 * so a grandchild's later output is still logged, but it reaches no output receiver: supervisord
 * has closed the pipes by then, and bytes fed to the listener protocol would land in the
 * restarted listener's state (or count as PROCESS_LOG of a process that is gone).
 */
function deliverOutput(
  proc: Subprocess,
  ctx: OutputContext,
  channel: OutputChannel,
  chunk: Buffer,
  transient: boolean,
  live: boolean,
): void {
  try {
    // A channel in capture mode is logged by onOutput's receiver, which keeps the captured text out of the log.
    if (proc.config[channel].captureMaxbytes <= 0) ctx.childLogs[channel]?.write(chunk);
  } catch (err) {
    ctx.logger.error(`could not write ${channel} of ${proc.config.name} to its log: ${errnoCode(err)}`);
  }
  const { onOutput, needsOutputBytes } = ctx;
  if (!live || !onOutput || (needsOutputBytes && !needsOutputBytes(proc, channel))) return;
  onOutput(proc, channel, transient ? Buffer.from(chunk) : chunk);
}
