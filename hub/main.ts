/**
 * fleetvisor-hub: follows every agent of hub.ini (and those added through
 * the API), keeps the fleet's history, serves the API and the web view.
 *
 *   fleetvisor-hub [-c hub.ini] [--data DIR] [--listen HOST:PORT]
 *
 * Without -c: no agents from a file, history in ./hub-data. SIGTERM or
 * SIGINT stop it gracefully; a second one stops it at once.
 */
import { join } from 'node:path';
import { FleetvisorError } from '../node-agent/api/errors.js';
import { defaultHubConfig, loadHubConfig, type HubConfig } from './config.js';
import { startHub } from './hub.js';

const USAGE = `Usage: fleetvisor-hub [options]

  -c, --config FILE       hub.ini: [hub] settings and [agent:NAME] sections
      --data DIR          where the history lives (overrides data_dir)
      --listen HOST:PORT  address of the API and web view (overrides listen)
  -h, --help              this text

Environment: FLEETVISOR_ADMIN_PASSWORD sets the password of the first user,
'admin', made at the first start (otherwise a random one is printed once).
FLEETVISOR_HUB_LOG=info|warn|error turns on the HTTP server's log (stderr).
`;

interface HubArgs {
  config?: string;
  data?: string;
  listen?: string;
  help: boolean;
}

export function parseHubArgs(argv: readonly string[]): HubArgs {
  const args: HubArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new FleetvisorError('FV_USAGE', `${flag} needs a value`);
      return next;
    };
    if (flag === '-h' || flag === '--help') args.help = true;
    else if (flag === '-c' || flag === '--config') args.config = value();
    else if (flag === '--data') args.data = value();
    else if (flag === '--listen') args.listen = value();
    else throw new FleetvisorError('FV_USAGE', `unknown option ${arg}`);
  }
  return args;
}

function parseListen(text: string): HubConfig['listen'] {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(text);
  if (!match || Number(match[2]) > 65535) throw new FleetvisorError('FV_USAGE', `--listen '${text}' is not HOST:PORT or PORT`);
  const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port: Number(match[2]) };
}

function configFrom(args: HubArgs): HubConfig {
  const base = args.config !== undefined ? loadHubConfig(args.config) : defaultHubConfig(args.data ?? join(process.cwd(), 'hub-data'));
  if (args.data === undefined && args.listen === undefined) return base;
  return Object.freeze({
    ...base,
    ...(args.data !== undefined ? { dataDir: defaultHubConfig(args.data).dataDir } : {}),
    ...(args.listen !== undefined ? { listen: Object.freeze(parseListen(args.listen)) } : {}),
  });
}

async function main(): Promise<void> {
  let config: HubConfig;
  try {
    const args = parseHubArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(USAGE);
      return;
    }
    config = configFrom(args);
  } catch (err) {
    if (err instanceof FleetvisorError) {
      process.stderr.write(`fleetvisor-hub: ${err.message}\n${err.code === 'FV_USAGE' ? 'For help, use fleetvisor-hub -h\n' : ''}`);
      process.exit(2);
    }
    throw err;
  }

  const hub = await startHub({ config, ...(process.env.FLEETVISOR_HUB_LOG ? { logLevel: process.env.FLEETVISOR_HUB_LOG } : {}) });
  const say = (line: string): void => void process.stdout.write(`fleetvisor-hub: ${line}\n`);
  say(`web view and API at ${hub.url}/`);
  if (hub.firstAdmin !== undefined) {
    const { name, password, generated } = hub.firstAdmin;
    say(
      generated
        ? `first start: made the user '${name}' with the password '${password}' (shown only this once)`
        : `first start: made the user '${name}' with the password from FLEETVISOR_ADMIN_PASSWORD`,
    );
  }
  say(`following ${hub.fleet.agents().length} agent(s); history in ${join(config.dataDir, 'hub.sqlite')}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`fleetvisor-hub: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    say(`${signal}: stopping`);
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`fleetvisor-hub: stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  const message = err instanceof FleetvisorError ? err.message : (err as Error)?.stack ?? String(err);
  process.stderr.write(`fleetvisor-hub: ${message}\n`);
  process.exit(1);
});
