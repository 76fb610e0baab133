/**
 * Signal names and numbers as supervisord sees them on Linux: the names of
 * Python's `signal` module, and the numbers it accepts (0–31, 34, 64).
 */

/** Canonical name per number: what supervisord prints (Python's signame()). */
const CANONICAL_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'SIGHUP'], [2, 'SIGINT'], [3, 'SIGQUIT'], [4, 'SIGILL'], [5, 'SIGTRAP'],
  [6, 'SIGABRT'], [7, 'SIGBUS'], [8, 'SIGFPE'], [9, 'SIGKILL'], [10, 'SIGUSR1'],
  [11, 'SIGSEGV'], [12, 'SIGUSR2'], [13, 'SIGPIPE'], [14, 'SIGALRM'], [15, 'SIGTERM'],
  [16, 'SIGSTKFLT'], [17, 'SIGCHLD'], [18, 'SIGCONT'], [19, 'SIGSTOP'], [20, 'SIGTSTP'],
  [21, 'SIGTTIN'], [22, 'SIGTTOU'], [23, 'SIGURG'], [24, 'SIGXCPU'], [25, 'SIGXFSZ'],
  [26, 'SIGVTALRM'], [27, 'SIGPROF'], [28, 'SIGWINCH'], [29, 'SIGPOLL'], [30, 'SIGPWR'],
  [31, 'SIGSYS'], [34, 'SIGRTMIN'], [64, 'SIGRTMAX'],
]);

const ALIASES: ReadonlyMap<string, number> = new Map([
  ['SIGIOT', 6],
  ['SIGCLD', 17],
  ['SIGIO', 29],
]);

const NUMBER_BY_NAME: ReadonlyMap<string, number> = new Map([
  ...[...CANONICAL_NAMES].map(([num, name]): [string, number] => [name, num]),
  ...ALIASES,
]);

/** Numbers supervisord accepts: any signal number Python knows, plus 0. */
const VALID_NUMBERS: ReadonlySet<number> = new Set([0, ...CANONICAL_NAMES.keys()]);

/** Python int() of a decimal string: surrounding whitespace, a sign, underscores between digits. */
const PY_DECIMAL = /^\s*[+-]?[0-9](?:_?[0-9])*\s*$/;

/**
 * A signal given as a number or a name (`TERM`, `sigterm`, ` SIGHUP `);
 * undefined when supervisord would reject it.
 */
export function signalNumber(nameOrNumber: string | number): number | undefined {
  if (typeof nameOrNumber === 'number') {
    return Number.isInteger(nameOrNumber) && VALID_NUMBERS.has(nameOrNumber) ? nameOrNumber : undefined;
  }
  if (PY_DECIMAL.test(nameOrNumber)) {
    const num = Number(nameOrNumber.trim().replaceAll('_', ''));
    return VALID_NUMBERS.has(num) ? num : undefined;
  }
  let name = nameOrNumber.trim().toUpperCase();
  if (!name.startsWith('SIG')) name = `SIG${name}`;
  return NUMBER_BY_NAME.get(name);
}

/** `SIGTERM`, or `signal 33` for a number without a name (as supervisord logs it). */
export function signalName(signo: number): string {
  return CANONICAL_NAMES.get(signo) ?? `signal ${signo}`;
}

/** The number of a signal name reported by Node (`'SIGTERM'`); undefined if unknown. */
export function signalNumberOfName(name: string): number | undefined {
  return NUMBER_BY_NAME.get(name);
}
