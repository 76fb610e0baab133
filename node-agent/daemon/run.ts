import { hostname } from 'node:os';
import { FleetvisorError } from '../api/errors.js';
import type { SupervisorConfig } from '../config/types.js';
import { EventBus } from '../events/bus.js';
import { attachEvents, EventRing, EventSerials, registerFleetvisorNamespace, type AttachedEvents } from '../events/index.js';
import { createHttpServers, type HttpServers } from '../http/servers.js';
import { registerWebRoutes } from '../http/web/index.js';
import { createMainLog, openChildLogs, purgeAutoLogs } from '../logs/index.js';
import type { ChildLog } from '../logs/types.js';
import { createSubprocess, outputBytesWanted } from '../process/index.js';
import type { Subprocess } from '../process/types.js';
import { createRegistry, registerSupervisorNamespace } from '../rpc/index.js';
import { registerRpcInterfaces } from '../rpc/plugins.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { reportToParent } from './daemonize.js';
import { removePidfile, writePidfile } from './pidfile.js';
import { installSignalHandlers } from './signals.js';

export interface RunOptions {
  /** Reads (and re-reads, on reload) the config with the command-line overrides applied. */
  readConfig(): SupervisorConfig;
  firstConfig: SupervisorConfig;
}


/**
 * The daemon's life: boot, serve until told to stop, stop every process,
 * then exit — or, on reload, read the config again and boot anew in the same
 * process (compat spec §2.4, §8). Resolves with the exit status.
 */
export async function runDaemon(opts: RunOptions): Promise<number> {
  let config = opts.firstConfig;
  const bus = new EventBus();
  // The listener serial and the subscription ring outlive reloads (compat spec §4.2; the hub's cursor).
  const serials = new EventSerials();
  const ring = new EventRing();
  let first = true;
  for (;;) {
    const mainLog = createMainLog({
      path: config.supervisord.logfile.kind === 'file' ? config.supervisord.logfile.path : undefined,
      maxbytes: config.supervisord.logfileMaxbytes,
      backups: config.supervisord.logfileBackups,
      level: config.supervisord.loglevel,
      echo: config.supervisord.nodaemon && !config.supervisord.silent,
    });
    const logger = mainLog;
    if (process.getuid?.() === 0 && !config.supervisord.user) {
      logger.critical(
        'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
      );
    }
    for (const note of config.warnings) logger[note.level](note.message);
    if (!config.supervisord.nocleanup) purgeAutoLogs(config.supervisord.childlogdir, config.supervisord.identifier);

    const logsByProcess = new WeakMap<Subprocess, { stdout?: ChildLog; stderr?: ChildLog }>();
    const defaultServerUrl = serverUrlOf(config);
    const baseEnv = { ...stringEnv(process.env), ...config.supervisord.environment };
    let liveConfig = config;
    let events: AttachedEvents | undefined;
    const supervisor: Supervisor = new Supervisor(config, {
      logger,
      bus,
      readConfig: () => opts.readConfig(),
      logsOf: (proc) => logsByProcess.get(proc) ?? {},
      closeProcess: (proc) => {
        const logs = logsByProcess.get(proc);
        logs?.stdout?.close();
        logs?.stderr?.close();
      },
      createProcess: (pc, _group, hooks) => {
        const childLogs = openChildLogs(pc, {
          childlogdir: liveConfig.supervisord.childlogdir,
          identifier: liveConfig.supervisord.identifier,
          stripAnsi: liveConfig.supervisord.stripAnsi,
          syslog: (line) => logger.info(line),
        });
        const proc = createSubprocess(pc, _group.name, {
          logger,
          baseEnv,
          defaultServerUrl,
          childLogs,
          onStateChange: hooks.onStateChange,
          onOutput: (p, channel, chunk) => events?.onOutput(p, channel, chunk),
          needsOutputBytes: (p, channel) => outputBytesWanted(p.config, channel),
        });
        logsByProcess.set(proc, childLogs);
        return proc;
      },
    });

    const registry = createRegistry();
    try {
      await registerRpcInterfaces(registry, config.rpcInterfaces, {
        supervisor,
        logger,
        builtins: {
          supervisor: () => registerSupervisorNamespace(registry, supervisor, mainLog),
          fleetvisor: () => registerFleetvisorNamespace(registry, { supervisor, ring }),
        },
      });
    } catch (err) {
      const message = err instanceof FleetvisorError ? err.message : String(err);
      const text = `Error: ${message}\nFor help, use ${process.argv[1]} -h\n`;
      reportToParent({ ok: false, message: text });
      process.stderr.write(text);
      mainLog.close();
      return 2;
    }

    let servers: HttpServers;
    try {
      servers = await createHttpServers({
        dispatcher: registry,
        logger,
        unix: config.unixHttpServers,
        inet: config.inetHttpServers,
        registerRoutes: (app) => {
          registerWebRoutes(app, {
            supervisor,
            dispatcher: registry,
            mainLogPath: () => mainLog.path,
            logger,
          });
        },
      });
    } catch (err) {
      const message = err instanceof FleetvisorError ? err.message : String(err);
      reportToParent({ ok: false, message: `Error: ${message}\nFor help, use ${process.argv[1]} -h\n` });
      if (first) process.stderr.write(`Error: ${message}\nFor help, use ${process.argv[1]} -h\n`);
      else logger.critical(message);
      mainLog.close();
      return 2;
    }
    if (first && !config.supervisord.nodaemon) logger.info('daemonizing the supervisord process');
    logger.info(`supervisord started with pid ${process.pid}`);
    writePidfile(config.supervisord.pidfile, logger);
    reportToParent({ ok: true });

    const removeSignals = installSignalHandlers(supervisor, logger, [mainLog, () => reopenChildLogs(supervisor)]);
    events = attachEvents({ supervisor, bus, logger, identifier: config.supervisord.identifier, serials, ring });
    supervisor.boot();

    const mood = await new Promise<'SHUTDOWN' | 'RESTARTING'>((resolve) => {
      supervisor.onStateChange((state) => {
        if (state === 'SHUTDOWN' || state === 'RESTARTING') resolve(state);
      });
    });
    await supervisor.stopAllForShutdown();
    events.detach();
    removeSignals();
    await servers.close();
    for (const [, proc] of supervisor.allByPriority()) {
      const logs = logsByProcess.get(proc);
      logs?.stdout?.close();
      logs?.stderr?.close();
    }

    if (mood === 'SHUTDOWN') {
      removePidfile(config.supervisord.pidfile);
      mainLog.close();
      return 0;
    }
    try {
      config = opts.readConfig();
      liveConfig = config;
    } catch (err) {
      const message = err instanceof FleetvisorError ? err.message : String(err);
      logger.critical(message);
      process.stderr.write(`Error: ${message}\nFor help, use ${process.argv[1]} -h\n`);
      mainLog.close();
      return 2;
    }
    mainLog.close();
    first = false;
  }
}

function reopenChildLogs(supervisor: Supervisor): void {
  for (const [, proc] of supervisor.allByPriority()) {
    const logs = supervisor.logsOf(proc);
    logs.stdout?.reopen();
    logs.stderr?.reopen();
  }
}

/** SUPERVISOR_SERVER_URL for programs with serverurl=AUTO: the first unix server, else the first inet one. */
function serverUrlOf(config: SupervisorConfig): string | undefined {
  const unix = config.unixHttpServers[0];
  if (unix) return `unix://${unix.file}`;
  const inet = config.inetHttpServers[0];
  if (inet) return `http://${inet.host || 'localhost'}:${inet.port}`;
  return undefined;
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export const HOST_NODE_NAME = hostname();
