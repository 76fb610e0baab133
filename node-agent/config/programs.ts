/**
 * One program-like section ([program:x], [eventlistener:x]) → its process
 * configs, numprocs expanded. Options are read in supervisord 4.2.5's order
 * and every error gets the ` in section '…' (file: '…')` frame (§1.6).
 */
import { expand, type Expansions } from './expand.js';
import { parseEnvironmentPairs } from './envpairs.js';
import { badValue, missing, type ConfigSource } from './source.js';
import type { ChannelConfig, LogTarget, ProcessConfig } from './types.js';
import { resolveUser } from './users.js';
import {
  toAutoRestart,
  toBoolean,
  toByteSize,
  toExitCodes,
  toInteger,
  toLogfile,
  toOctal,
  toProcessOrGroupName,
  toSignalNumber,
} from './values.js';

export function processesFromSection(src: ConfigSource, section: string, groupName: string): ProcessConfig[] {
  try {
    return readProcesses(src, section, groupName);
  } catch (err) {
    src.frame(section, err);
  }
}

function readProcesses(src: ConfigSource, section: string, groupName: string): ProcessConfig[] {
  const programName = toProcessOrGroupName(section.slice(section.indexOf(':') + 1));
  // supervisord mutates this one object as it goes: process_num, numprocs and the
  // program's ENV_* names become visible to every later lookup of the section.
  const common: Expansions = {
    here: src.here,
    program_name: programName,
    host_node_name: src.environment.hostNodeName,
    group_name: groupName,
  };
  const get = <D extends string | undefined>(option: string, fallback: D, doExpand = true) =>
    src.get(section, option, fallback, { expand: doExpand, expansions: common });

  const priority = toInteger(get('priority', '999'));
  const autostart = toBoolean(get('autostart', 'true'));
  const autorestart = toAutoRestart(get('autorestart', 'unexpected'));
  const startsecs = toInteger(get('startsecs', '1'));
  const startretries = toInteger(get('startretries', '3'));
  const stopsignal = toSignalNumber(get('stopsignal', 'TERM'));
  const stopwaitsecs = toInteger(get('stopwaitsecs', '10'));
  const stopasgroup = toBoolean(get('stopasgroup', 'false'));
  const killasgroup = toBoolean(get('killasgroup', stopasgroup ? 'true' : 'false'));
  const exitcodes = toExitCodes(get('exitcodes', '0'));
  const redirectStderr = toBoolean(get('redirect_stderr', 'false'));
  const numprocs = toInteger(get('numprocs', '1'));
  const numprocsStart = toInteger(get('numprocs_start', '0'));
  const environmentText = get('environment', '', false);
  const stdoutCapture = toByteSize(get('stdout_capture_maxbytes', '0'));
  const stdoutEvents = toBoolean(get('stdout_events_enabled', 'false'));
  const stderrCapture = toByteSize(get('stderr_capture_maxbytes', '0'));
  const stderrEvents = toBoolean(get('stderr_events_enabled', 'false'));
  let serverurl = get('serverurl', undefined);
  if (!serverurl || serverurl.trim().toUpperCase() === 'AUTO') serverurl = undefined;
  const userValue = get('user', undefined);
  const user = userValue === undefined ? undefined : resolveUser(userValue, src.environment.users);
  const umaskValue = get('umask', undefined);
  const umask = umaskValue === undefined ? undefined : toOctal(umaskValue);
  const processName = toProcessOrGroupName(get('process_name', '%(program_name)s', false));

  if (numprocs > 1 && !processName.includes('%(process_num)')) {
    throw badValue('%(process_num) must be present within process_name when numprocs > 1');
  }
  if (stopasgroup && !killasgroup) throw badValue('Cannot set stopasgroup=true and killasgroup=false');

  const processes: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocs + numprocsStart; processNum++) {
    Object.assign(common, { process_num: processNum, numprocs }, src.envExpansions);
    const environment = parseEnvironmentPairs(expand(environmentText, common, 'environment'));
    for (const [key, value] of Object.entries(environment)) common[`ENV_${key}`] = value;

    const directory = get('directory', undefined);
    const stdout = readChannel(src, section, 'stdout', get, common);
    const stderr = readChannel(src, section, 'stderr', get, common);
    if (redirectStderr) {
      if (stderr.logfile.kind === 'file') {
        src.warnings.push(
          `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, ` +
            'the filename has been ignored',
        );
      }
      stderr.logfile = { kind: 'none' };
    }
    const command = get('command', undefined);
    if (command === undefined) throw missing(`program section ${section} does not specify a command`);

    const config: ProcessConfig = {
      section,
      programName,
      name: expand(processName, common, 'process_name'),
      command,
      priority,
      autostart,
      autorestart,
      startsecs,
      startretries,
      exitcodes,
      stopsignal,
      stopwaitsecs,
      stopasgroup,
      killasgroup,
      redirectStderr,
      stdout: { ...stdout, captureMaxbytes: stdoutCapture, eventsEnabled: stdoutEvents },
      stderr: { ...stderr, captureMaxbytes: stderrCapture, eventsEnabled: stderrEvents },
      environment,
    };
    if (user) config.user = user;
    if (directory !== undefined) config.directory = directory;
    if (umask !== undefined) config.umask = umask;
    if (serverurl !== undefined) config.serverurl = serverurl;
    processes.push(config);
  }
  return processes.sort(byPriorityThenName);
}

type Getter = <D extends string | undefined>(option: string, fallback: D, doExpand?: boolean) => string | D;
type ChannelLog = Omit<ChannelConfig, 'captureMaxbytes' | 'eventsEnabled'>;

function readChannel(
  src: ConfigSource,
  section: string,
  channel: 'stdout' | 'stderr',
  get: Getter,
  expansions: Expansions,
): ChannelLog {
  const key = `${channel}_logfile`;
  const value = get(key, undefined);
  // A configured value is expanded a second time, as supervisord does.
  const setting = value === undefined ? { kind: 'auto' as const } : toLogfile(expand(value, expansions, key), src.paths);
  const logfileBackups = toInteger(get(`${key}_backups`, '10'));
  const logfileMaxbytes = toByteSize(get(`${key}_maxbytes`, '50MB'));
  let syslog = toBoolean(get(`${channel}_syslog`, 'false'));
  let logfile: LogTarget = setting;
  if (setting.kind === 'syslog') {
    src.warnings.push(
      `For [${section}], ${key}=syslog but this is deprecated and will be removed.  ` +
        `Use ${channel}_syslog=true to enable syslog instead.`,
    );
    logfile = { kind: 'none' };
    syslog = true;
  }
  if (logfile.kind === 'auto' && !logfileMaxbytes) {
    src.warnings.push(
      `For [${section}], AUTO logging used for ${key} without rollover, set maxbytes > 0 to avoid ` +
        'filling up filesystem unintentionally',
    );
  }
  return { logfile, logfileMaxbytes, logfileBackups, syslog };
}

export function byPriorityThenName<T extends { priority: number; name: string }>(a: T, b: T): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
