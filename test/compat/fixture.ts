/**
 * The differential-check fixture of compat spec §10. The event listener `lst`
 * is left out until fleetvisord has events (items 20/25/39/40 then gain it).
 */
import type { ExtraFile } from '../helpers/daemon.js';

export const FIXTURE_CONF = `[program:sleeper]
command=/bin/sleep 1000
stdout_logfile={dir}/sleeper.out

[program:quick]
command=/bin/true
startretries=2

[program:exit1]
command=sh -c "sleep 2; echo out; echo err >&2; exit 3"
autorestart=false

[program:multi]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)02d

[program:notfound]
command=/nonexistent/bin
autostart=false

[program:noexec]
command={dir}/noexec.sh
autostart=false

[program:manual]
command=/bin/sleep 1000
autostart=false

[group:grp]
programs=manual
`;

export const FIXTURE_FILES: readonly ExtraFile[] = [
  { path: 'noexec.sh', content: '#!/bin/sh\necho never\n', mode: 0o644 },
];

/** States the fixture settles in: quick gives up after 3 tries (≈8 s), exit1 exits after ≈3 s. */
export const FIXTURE_SETTLED: Record<string, string> = {
  sleeper: 'RUNNING',
  quick: 'FATAL',
  exit1: 'EXITED',
  'multi:multi_00': 'RUNNING',
  'multi:multi_01': 'RUNNING',
};
