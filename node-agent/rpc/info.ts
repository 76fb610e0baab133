import { ProcessState as STATE_CODES, SupervisorState } from '../api/states.js';
import { API_VERSION, SUPERVISOR_VERSION, type ConfigInfo, type XmlRpcValue } from '../api/types.js';
import type { ChannelConfig } from '../config/types.js';
import { compareText } from '../supervisor/group.js';
import type { Subprocess } from '../process/types.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { arg, type MethodRegistry } from './registry.js';
import { guard, requireProcess } from './guard.js';

/** supervisor.* methods that describe the daemon and its processes. */
export function registerInfoMethods(registry: MethodRegistry, sup: Supervisor): void {
  const method = guard(sup);
  const allProcessInfo = new AllProcessInfoCache(sup);
  const constant = (name: string, help: string, value: () => XmlRpcValue, type: 'string' | 'int' = 'string') =>
    registry.register({ name, signature: [type], help, handler: method(() => value()) });

  constant('supervisor.getAPIVersion', 'Return the version of the RPC API used by supervisorctl.\n\n@return string version  The API version', () => API_VERSION);
  constant('supervisor.getVersion', 'Same as getAPIVersion (kept for old clients).\n\n@return string version  The API version', () => API_VERSION);
  constant('supervisor.getSupervisorVersion', 'Return the supervisord version this daemon is compatible with.\n\n@return string version  The version', () => SUPERVISOR_VERSION);
  constant('supervisor.getIdentification', 'Return the identifier of this daemon ([supervisord] identifier).\n\n@return string identifier  The identifier', () => sup.config.supervisord.identifier);
  constant('supervisor.getPID', 'Return the process id of the daemon.\n\n@return int pid  The pid', () => process.pid, 'int');

  registry.register({
    name: 'supervisor.getState',
    signature: ['struct'],
    help: 'Return the state of the daemon.\n\n@return struct result  {statecode: int, statename: string}',
    handler: method(() => ({ statecode: SupervisorState[sup.state], statename: sup.state })),
  });

  registry.register({
    name: 'supervisor.getProcessInfo',
    signature: ['struct', 'string'],
    help: 'Return the state of one process.\n\n@param string name  Process name (or group:name)\n@return struct result  Process info',
    handler: method(([name]) => {
      const spec = arg.string(name);
      return requireProcess(sup.lookup(spec), spec).info() as unknown as XmlRpcValue;
    }),
  });

  registry.register({
    name: 'supervisor.getAllProcessInfo',
    signature: ['array'],
    help: 'Return the state of every process, sorted by group then process name.\n\n@return array result  Process info structs',
    handler: method(() => allProcessInfo.get()),
  });

  registry.register({
    name: 'supervisor.getAllConfigInfo',
    signature: ['array'],
    help: 'Return the configuration of every process in the last config read, sorted by process name.\n\n@return array result  Config info structs',
    handler: method(() => allConfigInfo(sup) as unknown as XmlRpcValue),
  });
}

function allConfigInfo(sup: Supervisor): ConfigInfo[] {
  const rows: ConfigInfo[] = [];
  // Like supervisord, configs read at boot show the real AUTO log paths; after a reread they show 'auto'.
  const bootConfig = sup.candidate === sup.config;
  for (const gc of sup.candidate.groups) {
    const active = sup.groups.get(gc.name);
    for (const pc of gc.processes) {
      const proc = bootConfig ? active?.processes.get(pc.name) : undefined;
      const logs = proc ? sup.logsOf(proc) : {};
      rows.push({
        autostart: pc.autostart,
        directory: pc.directory ?? 'none',
        uid: pc.user ? pc.user.uid : 'none',
        command: pc.command,
        exitcodes: [...pc.exitcodes],
        group: gc.name,
        group_prio: gc.priority,
        inuse: active !== undefined,
        killasgroup: pc.killasgroup,
        name: pc.name,
        process_prio: pc.priority,
        redirect_stderr: pc.redirectStderr,
        startretries: pc.startretries,
        startsecs: pc.startsecs,
        stopsignal: pc.stopsignal,
        stopwaitsecs: pc.stopwaitsecs,
        serverurl: pc.serverurl ?? 'auto',
        ...channelInfo('stdout', pc.stdout, logs.stdout?.path),
        ...channelInfo('stderr', pc.redirectStderr ? { ...pc.stderr, logfile: { kind: 'none' } } : pc.stderr, logs.stderr?.path),
      } as ConfigInfo);
    }
  }
  return rows.sort((a, b) => compareText(a.name, b.name));
}

function channelInfo(channel: 'stdout' | 'stderr', cc: ChannelConfig, autoPath: string | undefined): Record<string, XmlRpcValue> {
  const logfile =
    cc.logfile.kind === 'file' ? cc.logfile.path
    : cc.logfile.kind === 'auto' ? autoPath ?? 'auto'
    : cc.logfile.kind === 'syslog' ? 'syslog'
    : 'none';
  return {
    [`${channel}_capture_maxbytes`]: cc.captureMaxbytes,
    [`${channel}_events_enabled`]: cc.eventsEnabled,
    [`${channel}_logfile`]: logfile,
    [`${channel}_logfile_backups`]: cc.logfileBackups,
    [`${channel}_logfile_maxbytes`]: cc.logfileMaxbytes,
    [`${channel}_syslog`]: cc.syslog,
  };
}

/**
 * getAllProcessInfo answers with whole seconds (`now`, uptimes), so while no
 * process changed within the same second the previous answer is still exact.
 * Returning the same array lets the HTTP layer reuse its serialised XML.
 */
class AllProcessInfoCache {
  readonly #sup: Supervisor;
  readonly #ids = new WeakMap<Subprocess, number>();
  #nextId = 1;
  #key = '';
  #value: XmlRpcValue[] = [];

  constructor(sup: Supervisor) {
    this.#sup = sup;
  }

  get(): XmlRpcValue[] {
    const now = Math.floor(Date.now() / 1000);
    const rows = this.#sup.allByName();
    // A numeric fingerprint of everything an answer shows: no garbage per call, so a
    // monitoring loop polling at a high rate does not grow the heap.
    let a = now;
    let b = rows.length;
    const mix = (v: number): void => {
      a = (Math.imul(a ^ v, 0x01000193) + 0x9e3779b9) | 0;
      b = (Math.imul(b + v, 0x85ebca6b) ^ (b >>> 13)) | 0;
    };
    for (const [, p] of rows) {
      mix(this.#idOf(p));
      mix(STATE_CODES[p.state]);
      mix(p.pid);
      mix(p.laststart);
      mix(p.laststop);
      mix(p.exitstatus);
      mix(p.spawnerr.length);
    }
    const key = `${a}:${b}`;
    if (key !== this.#key) {
      this.#key = key;
      this.#value = rows.map(([, p]) => p.info(now) as unknown as XmlRpcValue);
    }
    return this.#value;
  }

  #idOf(proc: Subprocess): number {
    let id = this.#ids.get(proc);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(proc, id);
    }
    return id;
  }
}
