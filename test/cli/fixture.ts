/** A small daemon config that settles in about a second, for comparing the two clients. */
import type { ExtraFile } from '../helpers/daemon.js';

export const CLI_FIXTURE = `[program:sleeper]
command=/bin/sleep 1000
stdout_logfile={dir}/sleeper.out
startsecs=0

[program:quick]
command=/bin/true
startretries=0

[program:exit1]
command=sh -c "sleep 0.5; echo out; echo err >&2; exit 3"
autorestart=false
startsecs=0

[program:multi]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0

[program:notfound]
command=/nonexistent/bin
autostart=false

[program:noexec]
command={dir}/noexec.sh
autostart=false

[program:nolog]
command=/bin/sleep 1000
stderr_logfile=NONE
autostart=false
startsecs=0

[program:manual]
command=/bin/sleep 1000
autostart=false
startsecs=0

[group:grp]
programs=manual
`;

export const CLI_FIXTURE_FILES: readonly ExtraFile[] = [{ path: 'noexec.sh', content: '#!/bin/sh\necho never\n', mode: 0o644 }];

export const CLI_FIXTURE_SETTLED: Record<string, string> = {
  sleeper: 'RUNNING',
  quick: 'FATAL',
  exit1: 'EXITED',
  'multi:multi_00': 'RUNNING',
  'multi:multi_01': 'RUNNING',
};
