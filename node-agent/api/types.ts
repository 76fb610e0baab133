/** Structs of the supervisor.* XML-RPC API, field for field (compat spec §3.6). */

export type XmlRpcValue =
  | string
  | number
  | boolean
  | Date
  | Buffer
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

export type ProcessInfo = {
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: number;
  statename: string;
  spawnerr: string;
  exitstatus: number;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
};

/** Result entry of the group/all methods (startProcessGroup, stopAllProcesses, …). */
export type ProcessStatus = {
  name: string;
  group: string;
  status: number;
  description: string;
};

export type SupervisorStateInfo = {
  statecode: number;
  statename: string;
};

export type ConfigInfo = {
  autostart: boolean;
  directory: string;
  uid: number | string;
  command: string;
  exitcodes: number[];
  group: string;
  group_prio: number;
  inuse: boolean;
  killasgroup: boolean;
  name: string;
  process_prio: number;
  redirect_stderr: boolean;
  startretries: number;
  startsecs: number;
  stopsignal: number;
  stopwaitsecs: number;
  serverurl: string;
  stdout_capture_maxbytes: number;
  stdout_events_enabled: boolean;
  stdout_logfile: string;
  stdout_logfile_backups: number;
  stdout_logfile_maxbytes: number;
  stdout_syslog: boolean;
  stderr_capture_maxbytes: number;
  stderr_events_enabled: boolean;
  stderr_logfile: string;
  stderr_logfile_backups: number;
  stderr_logfile_maxbytes: number;
  stderr_syslog: boolean;
};

/** [data, size, overflow] as returned by tailProcessStdoutLog. */
export type TailResult = [string, number, boolean];

export const API_VERSION = '3.0';
export const SUPERVISOR_VERSION = '4.2.5';
