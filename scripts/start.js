#!/usr/bin/env node
// `npm start`: a demo fleetvisord (examples/demo.conf, data in ./data/demo) and
// the hub following it as agent 'local' (history in ./data/hub). Prints the
// web view's URL and how to log in; Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(process.env.FLEETVISOR_DATA ?? join(root, 'data', 'demo'));
const hubData = resolve(process.env.FLEETVISOR_HUB_DATA ?? join(root, 'data', 'hub'));
const port = process.env.FLEETVISOR_PORT ?? '9001';
const hubListen = process.env.FLEETVISOR_HUB_LISTEN ?? '127.0.0.1:9100';
mkdirSync(join(data, 'logs'), { recursive: true });
mkdirSync(hubData, { recursive: true });

const agentMain = join(root, 'dist', 'node-agent', 'main.js');
const hubMain = join(root, 'dist', 'hub', 'main.js');
for (const file of [agentMain, hubMain]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

const conf = join(root, 'examples', 'demo.conf');
const hubIni = join(hubData, 'hub.ini');
writeFileSync(
  hubIni,
  [
    '; written by `npm start` at every start',
    '[hub]',
    `listen = ${hubListen}`,
    `data_dir = ${hubData}`,
    '',
    '[agent:local]',
    `url = unix://${join(data, 'fleetvisord.sock')}`,
    'tags = demo',
    '',
  ].join('\n'),
);

console.log(`fleetvisord: demo config ${conf}, data in ${data}`);
console.log(`  agent web page: http://127.0.0.1:${port}/`);
console.log(`  supervisorctl:  supervisorctl -s unix://${data}/fleetvisord.sock status`);
console.log(`fleetvisor-hub: ${hubIni}, history in ${hubData}`);

const children = new Set();
let stopping = false;
function stopAll(signal) {
  stopping = true;
  for (const child of children) child.kill(signal);
}
function track(name, child) {
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the rest.`);
      process.exitCode = code || 1;
      stopAll('SIGTERM');
    }
    if (children.size === 0) process.exit();
  });
}

const agent = spawn(process.execPath, ['--max-semi-space-size=1', agentMain, '-c', conf], {
  stdio: 'inherit',
  env: { ...process.env, FLEETVISOR_DATA: data, FLEETVISOR_PORT: port },
});
track('fleetvisord', agent);

const hub = spawn(process.execPath, [hubMain, '-c', hubIni], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
track('fleetvisor-hub', hub);
let url;
let credentials;
let buffered = '';
hub.stdout.setEncoding('utf8');
hub.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    const at = /web view and API at (\S+)/.exec(line);
    if (at) url = at[1];
    const generated = /made the user '([^']+)' with the password '([^']+)'/.exec(line);
    if (generated) credentials = `${generated[1]} / ${generated[2]}  (generated: shown only this once)`;
    if (/with the password from FLEETVISOR_ADMIN_PASSWORD/.test(line)) credentials = `admin / ${process.env.FLEETVISOR_ADMIN_PASSWORD}`;
    if (/^fleetvisor-hub: following/.test(line)) banner();
  }
});

function banner() {
  const login =
    credentials ??
    (process.env.FLEETVISOR_ADMIN_PASSWORD
      ? `admin / the password it had at the first start (FLEETVISOR_ADMIN_PASSWORD applies only then)`
      : `admin / the password printed at the first start (delete ${hubData} to start over)`);
  console.log('');
  console.log('Fleetvisor is running.');
  console.log(`  web view: ${url}`);
  console.log(`  log in:   ${login}`);
  console.log('Press Ctrl-C to stop.\n');
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
