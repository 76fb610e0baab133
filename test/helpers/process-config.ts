import type { ChannelConfig, LogTarget, ProcessConfig } from '../../node-agent/config/types.js';

/** A channel (stdout/stderr) config with no rotation, capture or events. */
export function channelConfig(logfile: LogTarget = { kind: 'auto' }): ChannelConfig {
  return { logfile, logfileMaxbytes: 0, logfileBackups: 0, captureMaxbytes: 0, eventsEnabled: false, syslog: false };
}

/** A ProcessConfig with supervisord's defaults, as the config reader would produce it. */
export function processConfig(
  overrides: Partial<ProcessConfig> & { command: string },
  logfile: LogTarget = { kind: 'auto' },
): ProcessConfig {
  const name = overrides.name ?? 'p';
  return {
    section: `program:${name}`,
    programName: name,
    name,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    exitcodes: [0],
    stopsignal: 15,
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    redirectStderr: false,
    stdout: channelConfig(logfile),
    stderr: channelConfig(logfile),
    environment: {},
    ...overrides,
  };
}
