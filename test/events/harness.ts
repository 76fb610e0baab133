import type { GroupConfig, ProcessConfig, SupervisorConfig, SupervisordOptions } from '../../node-agent/config/types.js';
import { EventBus } from '../../node-agent/events/bus.js';
import { attachEvents, type AttachedEvents, type AttachEventsOptions } from '../../node-agent/events/index.js';
import { EventRing } from '../../node-agent/events/ring.js';
import { EventSerials } from '../../node-agent/events/serials.js';
import type { AgentEvent } from '../../node-agent/events/types.js';
import { memoryLogger, type MemoryLogger } from '../../node-agent/logs/memory-logger.js';
import { createSubprocess } from '../../node-agent/process/index.js';
import type { Subprocess } from '../../node-agent/process/types.js';
import { Supervisor } from '../../node-agent/supervisor/supervisor.js';
import { processConfig as baseProcessConfig } from '../helpers/process-config.js';

export const PYTHON = '/usr/bin/python3';

/** A ProcessConfig with supervisord's defaults and no log files. */
export function processConfig(overrides: Partial<ProcessConfig> & { command: string }): ProcessConfig {
  return baseProcessConfig(overrides, { kind: 'none' });
}

export function programGroup(name: string, overrides: Partial<ProcessConfig> & { command: string }): GroupConfig {
  const pc = processConfig({ name, autostart: false, startsecs: 0, ...overrides });
  return { name, kind: 'program', priority: pc.priority, processes: [pc], section: `program:${name}` };
}

export function listenerGroup(
  name: string,
  events: string[],
  overrides: Partial<ProcessConfig> & { command: string },
  bufferSize = 10,
): GroupConfig {
  const pc = processConfig({
    name,
    priority: -1,
    autostart: false,
    startsecs: 0,
    autorestart: 'true',
    section: `eventlistener:${name}`,
    listener: { events, bufferSize, resultHandler: 'supervisor.dispatchers:default_handler' },
    ...overrides,
  });
  return { name, kind: 'eventlistener', priority: -1, processes: [pc], section: `eventlistener:${name}` };
}

export interface EventsHarness {
  supervisor: Supervisor;
  events: AttachedEvents;
  logger: MemoryLogger;
  bus: EventBus;
  ring: EventRing;
  serials: EventSerials;
  published: AgentEvent[];
  /** stderr text of each process, by process name (the test listeners report there). */
  stderr: Map<string, string>;
  /** Resolves when `check` holds, re-checked after every output chunk and bus event. */
  until(check: () => boolean, timeoutMs?: number): Promise<void>;
  proc(name: string): Subprocess;
  cleanup(): Promise<void>;
}

export function eventsHarness(
  groups: GroupConfig[],
  opts: { serials?: EventSerials; ring?: EventRing; bus?: EventBus } & Partial<AttachEventsOptions> = {},
): EventsHarness {
  const logger = memoryLogger();
  const bus = opts.bus ?? new EventBus();
  const ring = opts.ring ?? new EventRing();
  const serials = opts.serials ?? new EventSerials();
  const stderr = new Map<string, string>();
  const published: AgentEvent[] = [];
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  let events: AttachedEvents | undefined;

  const config = {
    file: '/dev/null',
    files: [],
    supervisord: { identifier: 'supervisor', stripAnsi: false } as SupervisordOptions,
    unixHttpServers: [],
    inetHttpServers: [],
    rpcInterfaces: [],
    groups,
    warnings: [],
  } satisfies SupervisorConfig;

  const supervisor = new Supervisor(config, {
    logger,
    bus,
    readConfig: () => config,
    logsOf: () => ({}),
    closeProcess: () => {},
    createProcess: (pc, group, hooks) =>
      createSubprocess(pc, group.name, {
        logger,
        baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        childLogs: {},
        onStateChange: hooks.onStateChange,
        onOutput: (proc, channel, chunk) => {
          events?.onOutput(proc, channel, chunk);
          if (channel === 'stderr') stderr.set(proc.config.name, (stderr.get(proc.config.name) ?? '') + chunk.toString());
          poke();
        },
      }),
  });
  bus.subscribe((e) => {
    published.push(e);
    queueMicrotask(poke);
  });
  events = attachEvents({ supervisor, bus, logger, identifier: 'supervisor', serials, ring, ticks: false, ...opts });

  return {
    supervisor,
    events,
    logger,
    bus,
    ring,
    serials,
    published,
    stderr,
    until(check, timeoutMs = 5000) {
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`condition not met in ${timeoutMs} ms; log:\n${logger.text()}`));
        }, timeoutMs);
        const test = () => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.delete(test);
          resolve();
        };
        waiters.add(test);
      });
    },
    proc(name) {
      for (const group of supervisor.groups.values()) {
        const proc = group.processes.get(name);
        if (proc) return proc;
      }
      throw new Error(`no process ${name}`);
    },
    async cleanup() {
      events?.detach();
      for (const [, proc] of supervisor.allByPriority()) {
        proc.dispose();
        if (proc.pid) {
          const gone = proc.waitFor((s) => s !== 'STARTING' && s !== 'RUNNING' && s !== 'STOPPING');
          try {
            process.kill(-proc.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          await gone;
        }
      }
    },
  };
}
