#!/usr/bin/env node
process.stderr.write('fleetvisor-hub is not built yet (see issue "fleetvisor-hub").\n');
process.exit(1);
