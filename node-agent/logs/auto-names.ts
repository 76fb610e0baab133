import { closeSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { ChannelConfig, ProcessConfig } from '../config/types.js';
import { LogFileError, isErrno } from './log-file-error.js';

export type Channel = 'stdout' | 'stderr';

/** The alphabet Python's tempfile.mkstemp draws its 8 random characters from. */
const RANDOM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const RANDOM_LENGTH = 8;
const MAX_NAME_ATTEMPTS = 10000;

export interface AutoLogOptions {
  childlogdir: string;
  identifier: string;
}

/**
 * Creates `<childlogdir>/<procname>-<channel>---<identifier>-<8 random>.log`,
 * empty and mode 0600, and returns its path. Throws LogFileError.
 */
export function createAutoLogFile(procName: string, channel: Channel, options: AutoLogOptions): string {
  const prefix = `${procName}-${channel}---${options.identifier}-`;
  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const path = join(options.childlogdir, `${prefix}${randomSuffix()}.log`);
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return path;
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw new LogFileError('create', path, err);
    }
  }
  throw new LogFileError('create', join(options.childlogdir, `${prefix}*.log`), Object.assign(new Error('EEXIST'), { code: 'EEXIST' }));
}

/**
 * A copy of `proc` whose AUTO channels are replaced by freshly created files.
 * Call it when the process's group is added (supervisord names AUTO logs then,
 * even for a process never started, and anew on each re-add). A redirected
 * stderr gets no file.
 */
export function resolveAutoLogs(proc: ProcessConfig, options: AutoLogOptions): ProcessConfig {
  const resolve = (channel: Channel, config: ChannelConfig): ChannelConfig => {
    if (config.logfile.kind !== 'auto') return config;
    if (channel === 'stderr' && proc.redirectStderr) return config;
    return { ...config, logfile: { kind: 'file', path: createAutoLogFile(proc.name, channel, options) } };
  };
  const stdout = resolve('stdout', proc.stdout);
  const stderr = resolve('stderr', proc.stderr);
  if (stdout === proc.stdout && stderr === proc.stderr) return proc;
  return { ...proc, stdout, stderr };
}

/**
 * supervisord's boot-time purge pattern, matched at the start of a name only
 * (Python re.match). The identifier goes in unescaped, as supervisord does,
 * unless it is not a valid pattern here.
 */
export function autoLogPattern(identifier: string): RegExp {
  const tail = String.raw`-\S+\.log\.{0,1}\d{0,4}`;
  try {
    return new RegExp(`^.+?---${identifier}${tail}`);
  } catch {
    return new RegExp(`^.+?---${escapeRegExp(identifier)}${tail}`);
  }
}

export interface PurgeResult {
  removed: string[];
}

/**
 * Deletes the AUTO logs a previous run left in childlogdir (skipped by the
 * caller when `nocleanup` is set). Problems are reported through `warn` with
 * supervisord's wording, never thrown.
 */
export function purgeAutoLogs(
  childlogdir: string,
  identifier: string,
  warn: (msg: string) => void = () => {},
): PurgeResult {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(childlogdir);
  } catch {
    warn('Could not clear childlog dir');
    return { removed };
  }
  const pattern = autoLogPattern(identifier);
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const path = join(childlogdir, name);
    try {
      unlinkSync(path);
      removed.push(path);
    } catch {
      warn(`Failed to clean up ${pythonRepr(path)}`);
    }
  }
  return { removed };
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) s += RANDOM_ALPHABET[randomInt(RANDOM_ALPHABET.length)];
  return s;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Python's repr() of a str, as in supervisord's `%r` messages. */
function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replace(/\\/g, '\\\\').replace(quote === "'" ? /'/g : /"/g, `\\${quote}`);
  return `${quote}${body.replace(/\n/g, '\\n').replace(/\t/g, '\\t')}${quote}`;
}
