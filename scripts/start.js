#!/usr/bin/env node
// `npm start`: run fleetvisord on the demo config, with its data in ./data/demo.
// (Once the hub exists this starts the hub watching this agent as well.)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(process.env.FLEETVISOR_DATA ?? join(root, 'data', 'demo'));
const port = process.env.FLEETVISOR_PORT ?? '9001';
mkdirSync(join(data, 'logs'), { recursive: true });

const agent = join(root, 'dist', 'node-agent', 'main.js');
const conf = join(root, 'examples', 'demo.conf');
console.log(`fleetvisord: demo config ${conf}, data in ${data}`);
console.log(`  web page:      http://127.0.0.1:${port}/`);
console.log(`  supervisorctl: supervisorctl -s unix://${data}/fleetvisord.sock status`);
console.log(`  XML-RPC:       http://127.0.0.1:${port}/RPC2`);
console.log('Press Ctrl-C to stop.\n');

const child = spawn(process.execPath, [agent, '-c', conf], {
  stdio: 'inherit',
  env: { ...process.env, FLEETVISOR_DATA: data, FLEETVISOR_PORT: port },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
