#!/usr/bin/env node
process.stderr.write('fleetvisorctl is not built yet (see issue "fleetvisorctl"). Use supervisorctl against fleetvisord meanwhile.\n');
process.exit(1);
