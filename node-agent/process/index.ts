import type { ProcessConfig } from '../config/types.js';
import { ChildSubprocess } from './subprocess.js';
import type { Subprocess, SubprocessContext } from './types.js';

export type { CommandCheckError, Subprocess, SubprocessContext } from './types.js';
export { ChildSubprocess } from './subprocess.js';
export { signalName, signalNumber } from './signals.js';
export { shlexSplit, ShlexError } from './shlex.js';
export { commandSearchPath, resolveCommand, splitCommand, type CommandResolution, type ResolvedCommand } from './command.js';
export { cappedInt, describeProcess, formatStopTime, formatUptime, type DescriptionInput } from './describe.js';
export { describeExit, type ExitDescription } from './exit-status.js';
export { childEnvironment } from './environment.js';
export { outputBytesWanted, pumpOutput, type OutputPump, type OutputPumpHandlers } from './output-pump.js';

/** One supervised process of `groupName`, in STOPPED state; nothing runs until spawn(). */
export function createSubprocess(config: ProcessConfig, groupName: string, ctx: SubprocessContext): Subprocess {
  return new ChildSubprocess(config, groupName, ctx);
}
