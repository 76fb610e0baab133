import { setFlagsFromString } from 'node:v8';

// A daemon's heap is small and long-lived: a 1 MiB young generation (V8's
// default grows to 16 MiB) keeps the agent's RSS near supervisord's. Best given
// on node's command line (bin/fleetvisord.js does); set here too, first of all
// imports, for `node dist/node-agent/main.js`, where it helps less.
setFlagsFromString('--max-semi-space-size=1');
