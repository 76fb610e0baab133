import { accessSync, constants as fsConstants, statSync, type Stats } from 'node:fs';
import { pyRepr } from '../config/python.js';
import { shlexSplit, ShlexError } from './shlex.js';
import type { CommandCheckError } from './types.js';

/** The program to execve and its argv (argv[0] as written in the command). */
export interface ResolvedCommand {
  filename: string;
  argv: string[];
}

export type CommandResolution =
  | { ok: true; command: ResolvedCommand }
  | { ok: false; error: CommandCheckError };

const DEFAULT_PATH = ['/bin', '/usr/bin', '/usr/local/bin'];

/**
 * The directories searched for a bare argv0: the program's own PATH when its
 * environment sets one (even empty), else the daemon's PATH, else a default.
 */
export function commandSearchPath(
  programEnv: Readonly<Record<string, string>>,
  daemonEnv: Readonly<Record<string, string | undefined>>,
): string[] {
  const own = programEnv.PATH;
  if (own !== undefined) return own.split(':');
  const inherited = daemonEnv.PATH;
  return inherited ? inherited.split(':') : [...DEFAULT_PATH];
}

/** Split a command like supervisord; BadCommand failures map to NOT_EXECUTABLE. */
export function splitCommand(command: string): { ok: true; argv: string[] } | { ok: false; error: CommandCheckError } {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (err) {
    if (!(err instanceof ShlexError)) throw err;
    return notExecutable(`can't parse command ${pyRepr(command)}: ${err.message}`);
  }
  if (argv.length === 0) return notExecutable('command is empty');
  return { ok: true, argv };
}

/**
 * supervisord's pre-fork checks (compat spec §2.3 steps 1–3): parse, find
 * argv0 (with `/` as is, else the first PATH entry that stats), then refuse
 * missing files, directories and files nobody may execute.
 */
export function resolveCommand(command: string, searchPath: readonly string[]): CommandResolution {
  const split = splitCommand(command);
  if (!split.ok) return split;
  const argv = split.argv;
  const program = argv[0];

  let filename = program;
  let stats: Stats | undefined;
  if (program.includes('/')) {
    stats = statOrUndefined(program);
  } else {
    for (const dir of searchPath) {
      const candidate = joinLikePython(dir, program);
      stats = statOrUndefined(candidate);
      if (stats) {
        filename = candidate;
        break;
      }
    }
  }

  const quoted = pyRepr(filename);
  if (!stats) return { ok: false, error: { fault: 'NO_FILE', message: `can't find command ${quoted}` } };
  if (stats.isDirectory()) return notExecutable(`command at ${quoted} is a directory`);
  if ((stats.mode & 0o111) === 0) return notExecutable(`command at ${quoted} is not executable`);
  try {
    accessSync(filename, fsConstants.X_OK);
  } catch {
    return notExecutable(`no permission to run command ${quoted}`);
  }
  return { ok: true, command: { filename, argv } };
}

function notExecutable(message: string): { ok: false; error: CommandCheckError } {
  return { ok: false, error: { fault: 'NOT_EXECUTABLE', message } };
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** os.path.join(dir, name): unlike path.join it keeps `./` and does not normalise. */
function joinLikePython(dir: string, name: string): string {
  if (dir === '' || dir.endsWith('/')) return dir + name;
  return `${dir}/${name}`;
}
