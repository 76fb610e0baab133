/**
 * Option value types of supervisord.conf with supervisord 4.2.5's exact
 * error texts (compat spec §1.4). Each converter takes the (expanded) string
 * and returns the typed value or throws FleetvisorError FV_CONFIG_BAD_VALUE.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { FleetvisorError } from '../api/errors.js';
import type { AutoRestart, LogLevel } from './types.js';
import { pyDirname, pyIntError, pyParseInt, pyParseOctal, pyRepr, pyStrip } from './python.js';
import { expandUser, type UserDatabase } from './users.js';

function bad(message: string): FleetvisorError {
  return new FleetvisorError('FV_CONFIG_BAD_VALUE', message);
}

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export function toBoolean(value: string): boolean {
  const lowered = value.toLowerCase();
  if (TRUTHY.includes(lowered)) return true;
  if (FALSY.includes(lowered)) return false;
  throw bad(`not a valid boolean value: ${pyRepr(value)}`);
}

export function toInteger(value: string): number {
  const n = pyParseInt(value);
  if (n === undefined) throw bad(pyIntError(value));
  return n;
}

const BYTE_SUFFIXES: [string, number][] = [
  ['kb', 1024],
  ['mb', 1024 * 1024],
  ['gb', 1024 * 1024 * 1024],
];

/** An int with an optional KB/MB/GB suffix (any case). */
export function toByteSize(value: string): number {
  const lowered = value.toLowerCase();
  for (const [suffix, multiplier] of BYTE_SUFFIXES) {
    if (lowered.slice(-suffix.length) === suffix) {
      return toInteger(lowered.slice(0, -suffix.length)) * multiplier;
    }
  }
  return toInteger(lowered);
}

export function toOctal(value: string): number {
  const n = pyParseOctal(value);
  if (n === undefined) throw bad(`${value} can not be converted to an octal type`);
  return n;
}

/** Python's signal module names on Linux (including the SIG_* handler constants it also exposes). */
const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7,
  SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14,
  SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20,
  SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27,
  SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31, SIGRTMIN: 34, SIGRTMAX: 64,
  SIG_DFL: 0, SIG_IGN: 1, SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2,
};
const VALID_SIGNAL_NUMBERS = new Set(Object.values(SIGNALS));

/** A signal name (with or without SIG, any case) or number → signal number. */
export function toSignalNumber(value: string): number {
  let num = pyParseInt(value);
  if (num === undefined) {
    let name = pyStrip(value).toUpperCase();
    if (!name.startsWith('SIG')) name = 'SIG' + name;
    num = Object.prototype.hasOwnProperty.call(SIGNALS, name) ? SIGNALS[name] : undefined;
    if (num === undefined) throw bad(`value ${pyRepr(value)} is not a valid signal name`);
  }
  if (!VALID_SIGNAL_NUMBERS.has(num)) throw bad(`value ${pyRepr(value)} is not a valid signal number`);
  return num;
}

/** The preferred name of a signal number (SIGABRT over SIGIOT, …), for messages. */
export function signalName(signo: number): string | undefined {
  return Object.entries(SIGNALS).find(([name, n]) => n === signo && !name.startsWith('SIG_'))?.[0];
}

export function toExitCodes(value: string): number[] {
  if (!value) return [];
  const codes = value.split(',').map((part) => pyParseInt(part));
  if (codes.some((c) => c === undefined || c < 0 || c > 255)) {
    throw bad(`not a valid list of exit codes: ${pyRepr(value)}`);
  }
  return codes as number[];
}

export function toAutoRestart(value: string): AutoRestart {
  const lowered = value.toLowerCase();
  if (TRUTHY.includes(lowered)) return 'true';
  if (FALSY.includes(lowered)) return 'false';
  if (lowered === 'unexpected') return 'unexpected';
  throw bad(`invalid 'autorestart' value ${pyRepr(lowered)}`);
}

const LOG_LEVELS: LogLevel[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

export function toLogLevel(value: string): LogLevel {
  const lowered = value.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(lowered)) throw bad(`bad logging level name ${pyRepr(value)}`);
  return lowered;
}

/** Paths are checked against the daemon's working directory but returned as written (after ~). */
export interface PathContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  users: UserDatabase;
}

function isDirectory(path: string, cwd: string): boolean {
  try {
    return statSync(isAbsolute(path) ? path : resolve(cwd, path)).isDirectory();
  } catch {
    return false;
  }
}

/** A path whose parent directory exists (a bare file name is accepted as is). */
export function toExistingDirpath(value: string, ctx: PathContext): string {
  const expanded = expandUser(value, ctx.env, ctx.users);
  const parent = pyDirname(expanded);
  if (!parent || isDirectory(parent, ctx.cwd)) return expanded;
  throw bad(`The directory named as part of the path ${value} does not exist`);
}

export function toExistingDirectory(value: string, ctx: PathContext): string {
  const expanded = expandUser(value, ctx.env, ctx.users);
  if (isDirectory(expanded, ctx.cwd)) return expanded;
  throw bad(`${value} is not an existing directory`);
}

/** A child log setting: NONE/OFF, AUTO, the deprecated `syslog`, or a path. */
export type LogfileSetting =
  | { kind: 'none' }
  | { kind: 'auto' }
  | { kind: 'syslog' }
  | { kind: 'file'; path: string };

export function toLogfile(value: string, ctx: PathContext): LogfileSetting {
  const lowered = value.toLowerCase();
  if (lowered === 'none' || lowered === 'off') return { kind: 'none' };
  if (lowered === 'auto') return { kind: 'auto' };
  if (lowered === 'syslog') return { kind: 'syslog' };
  return { kind: 'file', path: toExistingDirpath(value, ctx) };
}

/** Process and group names: trimmed, without space, `:` or `/`. */
export function toProcessOrGroupName(value: string): string {
  const trimmed = pyStrip(value);
  for (const ch of [' ', ':', '/']) {
    if (trimmed.includes(ch)) throw bad(`Invalid name: ${pyRepr(value)} because of character: ${pyRepr(ch)}`);
  }
  return trimmed;
}

export function toListOfStrings(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((part) => pyStrip(part));
}

function toPortNumber(value: string): number {
  const port = toInteger(value);
  if (port < 1) throw bad(`${port} is below lower bound (1)`);
  if (port > 65535) throw bad(`${port} is above upper bound (65535)`);
  return port;
}

/** `port`, `host:port`, `*:port` or `:port`; host '' means every interface. */
export function toInetAddress(value: string): { host: string; port: number } {
  let host = '';
  let port: number;
  const colon = value.lastIndexOf(':');
  if (colon !== -1) {
    const portText = value.slice(colon + 1);
    if (!portText) throw bad(`no port number specified in ''`);
    port = toPortNumber(portText);
    host = value.slice(0, colon).toLowerCase();
  } else {
    try {
      port = toPortNumber(value);
    } catch {
      throw bad(`not a valid port number: ${pyRepr(value)} `);
    }
  }
  if (host === '*') host = '';
  return { host, port };
}
