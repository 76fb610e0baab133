/** Expected supervisorctl rows, padded as supervisorctl does (name column 33 wide here, state 10). */

export function statusRow(namespec: string, state: string, description: string): string {
  return `${namespec.padEnd(33)}${state.padEnd(10)}${description}\n`;
}

export function running(namespec: string): string {
  return statusRow(namespec, 'RUNNING', 'pid PID, uptime UPTIME');
}

export function availRow(namespec: string, inUse: boolean, auto: boolean, priorities = '999:999'): string {
  return `${namespec.padEnd(32)} ${(inUse ? 'in use' : 'avail').padEnd(9)} ${(auto ? 'auto' : 'manual').padEnd(9)} ${priorities}\n`;
}

export const USAGE = {
  start:
    'Error: start requires a process name\nstart <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\n' +
    'start <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes\n',
  stop:
    'Error: stop requires a process name\nstop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\n' +
    'stop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes\n',
  restart:
    'Error: restart requires a process name\nrestart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\n' +
    'restart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\n' +
    'Note: restart does not reread config files. For that, see reread and update.\n',
  signal:
    'Error: signal requires a signal name and a process name\nsignal <signal name> <name>\t\tSignal a process\n' +
    'signal <signal name> <gname>:*\t\tSignal all processes in a group\n' +
    'signal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes\n',
  clear:
    "Error: clear requires a process name\nclear <name>\t\tClear a process' log files.\n" +
    "clear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files\n",
  tail:
    'Error: too few arguments\ntail [-f] <name> [stdout|stderr] (default stdout)\nEx:\n' +
    'tail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\n' +
    'tail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr\n',
  version: 'Error: version accepts no arguments\nversion\t\t\tShow the version of the remote supervisord process\n',
} as const;
