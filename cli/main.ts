/**
 * fleetvisorctl: supervisorctl for one fleetvisord or supervisord (see
 * cli/README.md). Fleet commands against a hub (`--hub`) are a second command
 * set that plugs in here.
 */
import { processSink } from './output.js';
import { fleetModeWanted } from './fleet/detect.js';
import { runSingle } from './single/run.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const progname = process.argv[1] ?? 'fleetvisorctl';
  if (fleetModeWanted(argv)) {
    const { runFleet } = await import('./fleet/run.js');
    return runFleet({ argv, env: process.env, progname });
  }
  return runSingle({ argv, progname, argv0: progname, cwd: process.cwd(), sink: processSink });
}

main().then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(`fleetvisorctl: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
