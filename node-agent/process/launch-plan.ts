import { statSync } from 'node:fs';
import type { ProcessConfig } from '../config/types.js';
import { commandSearchPath, resolveCommand } from './command.js';
import { childEnvironment } from './environment.js';
import { errnoCode, type LaunchSpec } from './launch.js';
import type { CommandCheckError, SubprocessContext } from './types.js';

/**
 * What one spawn attempt will do: refuse before forking (spawnerr), run a
 * stand-in that fails like supervisord's forked child would, or launch.
 */
export type LaunchPlan =
  | { kind: 'refused'; error: CommandCheckError }
  | { kind: 'child-fails'; lines: string[]; argv0: string }
  | { kind: 'launch'; spec: LaunchSpec; argv0: string };

type PlanContext = Pick<SubprocessContext, 'baseEnv' | 'defaultServerUrl'>;

/** The pre-fork checks of §2.3 against the current filesystem. */
export function checkProcessCommand(config: ProcessConfig, ctx: PlanContext): CommandCheckError | undefined {
  const resolution = resolveCommand(config.command, commandSearchPath(config.environment, ctx.baseEnv));
  return resolution.ok ? undefined : resolution.error;
}

export function planLaunch(config: ProcessConfig, groupName: string, ctx: PlanContext): LaunchPlan {
  const resolution = resolveCommand(config.command, commandSearchPath(config.environment, ctx.baseEnv));
  if (!resolution.ok) return { kind: 'refused', error: resolution.error };
  const { filename, argv } = resolution.command;

  const spec: LaunchSpec = {
    // A PATH entry like '' yields a bare name, which exec must not search again.
    filename: filename.includes('/') ? filename : `./${filename}`,
    argv,
    env: childEnvironment(config, groupName, ctx.baseEnv, ctx.defaultServerUrl),
    cwd: config.directory,
    umask: config.umask,
    redirectStderr: config.redirectStderr,
  };

  // supervisord's child drops privileges, then changes directory; each failure ends it with 127.
  const user = config.user;
  if (user) {
    const euid = process.geteuid?.() ?? -1;
    if (euid === 0) {
      spec.uid = user.uid;
      spec.gid = user.gid;
    } else if (euid !== user.uid) {
      return childFails(`couldn't setuid to ${user.uid}: Can't drop privilege as nonroot user`, argv[0]);
    }
  }
  if (config.directory !== undefined) {
    const problem = directoryProblem(config.directory);
    if (problem) return childFails(`couldn't chdir to ${config.directory}: ${problem}`, argv[0]);
  }
  return { kind: 'launch', spec, argv0: argv[0] };
}

/** The lines supervisord's forked child writes to its stderr before `_exit(127)`. */
export function childFailureLines(reason: string): string[] {
  return [`supervisor: ${reason}`, 'supervisor: child process was not spawned'];
}

function childFails(reason: string, argv0: string): LaunchPlan {
  return { kind: 'child-fails', lines: childFailureLines(reason), argv0 };
}

function directoryProblem(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : 'ENOTDIR';
  } catch (err) {
    return errnoCode(err);
  }
}
