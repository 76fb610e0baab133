#!/usr/bin/env -S node --max-semi-space-size=1
// A 1 MiB young generation keeps the daemon's RSS low (see node-agent/v8-flags.ts).
import '../dist/node-agent/main.js';
