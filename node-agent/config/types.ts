/**
 * The parsed, validated supervisord configuration. Built once by the reader,
 * then frozen: nothing later re-checks or mutates it.
 */

/** A log destination: a path, AUTO (a file in childlogdir, named at group creation), NONE, or syslog. */
export type LogTarget =
  | { kind: 'auto' }
  | { kind: 'none' }
  | { kind: 'syslog' }
  | { kind: 'file'; path: string };

export type AutoRestart = 'unexpected' | 'true' | 'false';

export interface ChannelConfig {
  logfile: LogTarget;
  logfileMaxbytes: number;
  logfileBackups: number;
  captureMaxbytes: number;
  eventsEnabled: boolean;
  syslog: boolean;
}

/** One process of a program (numprocs expands a program into several). */
export interface ProcessConfig {
  /** Section name this came from, e.g. `program:web`. */
  section: string;
  /** Name of the program section (`x` of `[program:x]`). */
  programName: string;
  /** Expanded process_name. */
  name: string;
  command: string;
  priority: number;
  autostart: boolean;
  autorestart: AutoRestart;
  startsecs: number;
  startretries: number;
  exitcodes: number[];
  /** Signal number. */
  stopsignal: number;
  stopwaitsecs: number;
  stopasgroup: boolean;
  killasgroup: boolean;
  /** Resolved numeric uid/gid when `user` is set. */
  user?: { name: string; uid: number; gid: number };
  redirectStderr: boolean;
  stdout: ChannelConfig;
  stderr: ChannelConfig;
  /** Program environment (already expanded), merged over the daemon's at spawn. */
  environment: Record<string, string>;
  directory?: string;
  umask?: number;
  /** undefined = AUTO (computed from the daemon's servers). */
  serverurl?: string;
  /** Only for [eventlistener:x]. */
  listener?: ListenerConfig;
}

export interface ListenerConfig {
  /** Upper-cased event type names as written in `events`. */
  events: string[];
  bufferSize: number;
  resultHandler: string;
}

export type GroupKind = 'program' | 'eventlistener' | 'group';

export interface GroupConfig {
  name: string;
  kind: GroupKind;
  priority: number;
  processes: ProcessConfig[];
  /** Section name, e.g. `program:web`, `group:g`, `eventlistener:x`. */
  section: string;
}

export interface UnixHttpServerConfig {
  section: string;
  file: string;
  chmod: number;
  chown?: { uid: number; gid: number };
  username?: string;
  password?: string;
}

export interface InetHttpServerConfig {
  section: string;
  /** '' = all interfaces. */
  host: string;
  port: number;
  username?: string;
  password?: string;
}

export interface SupervisordOptions {
  logfile: LogTarget;
  logfileMaxbytes: number;
  logfileBackups: number;
  loglevel: LogLevel;
  pidfile: string;
  umask: number;
  nodaemon: boolean;
  silent: boolean;
  minfds: number;
  minprocs: number;
  nocleanup: boolean;
  childlogdir: string;
  user?: { name: string; uid: number; gid: number };
  directory?: string;
  stripAnsi: boolean;
  environment: Record<string, string>;
  identifier: string;
}

export type LogLevel = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

export interface SupervisorctlConfig {
  serverurl: string;
  username?: string;
  password?: string;
  prompt: string;
  historyFile?: string;
}

export interface RpcInterfaceConfig {
  /** Namespace published, the NAME of [rpcinterface:NAME]. */
  name: string;
  /**
   * `supervisor.rpcinterface:make_main_rpcinterface` (the supervisor.* API),
   * `fleetvisor:make_fleetvisor_rpcinterface` (the built-in fleetvisor.* API),
   * or `<absolute path of a JavaScript module>:<export>`.
   */
  factory: string;
  /** For a JavaScript factory: the module's absolute path and the export to call. */
  module?: { path: string; exportName: string };
  /** Other keys of the section (factory keyword arguments). */
  options: Record<string, string>;
}

export interface SupervisorConfig {
  /** Absolute path of the main config file. */
  file: string;
  /** Every file read, main first, then included files in the order read. */
  files: string[];
  supervisord: SupervisordOptions;
  unixHttpServers: UnixHttpServerConfig[];
  inetHttpServers: InetHttpServerConfig[];
  supervisorctl?: SupervisorctlConfig;
  rpcInterfaces: RpcInterfaceConfig[];
  /** Sorted by (priority, name). */
  groups: GroupConfig[];
  /** Non-fatal notes produced while parsing (logged by the daemon at each (re)start). */
  warnings: { level: 'warn' | 'info'; message: string }[];
}
