/**
 * Micro-benchmark: serialising getAllProcessInfo for 200 processes (200 structs
 * of 14 fields), parsing it back, and the agent answering it over HTTP.
 *
 *   node --import tsx bench/xmlrpc-serialize.ts [--processes 200] [--calls 2000]
 *
 * Not a test: prints timings; the target is ≥ 1000 answered calls/s.
 */
import http from 'node:http';
import type { ProcessInfo } from '../node-agent/api/types.js';
import { parseMethodResponse } from '../node-agent/api/xmlrpc-parse.js';
import { serializeMethodResponse, serializeMethodResponseBody } from '../node-agent/api/xmlrpc-serialize.js';
import { createHttpServers } from '../node-agent/http/servers.js';
import type { Logger } from '../node-agent/logs/types.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const PROCESSES = flag('processes', 200);
const CALLS = flag('calls', 2000);

function processInfos(count: number): ProcessInfo[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => ({
    name: `worker_${String(i).padStart(3, '0')}`,
    group: `group_${i % 10}`,
    start: now - 1000 - i,
    stop: 0,
    now,
    state: 20,
    statename: 'RUNNING',
    spawnerr: '',
    exitstatus: 0,
    logfile: `/var/log/fleet/worker_${i}.log`,
    stdout_logfile: `/var/log/fleet/worker_${i}.log`,
    stderr_logfile: '',
    pid: 10_000 + i,
    description: `pid ${10_000 + i}, uptime 0:16:${String(i % 60).padStart(2, '0')}`,
  }));
}

function time(label: string, iterations: number, fn: () => unknown): void {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const perCall = (performance.now() - started) / iterations;
  console.log(`${label.padEnd(40)} ${perCall.toFixed(3)} ms/op  ${(1000 / perCall).toFixed(0)} op/s`);
}

const silent: Logger = {
  critical() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {}, blather() {},
  isEnabled: () => false,
};

async function httpThroughput(infos: ProcessInfo[], calls: number, concurrency: number): Promise<void> {
  const servers = await createHttpServers({
    logger: silent,
    dispatcher: { call: async () => infos as unknown as ProcessInfo[] as never },
    inet: [{ section: 'inet_http_server', host: '127.0.0.1', port: 0 }],
  });
  const address = servers.addresses[0];
  if (address.kind !== 'inet') throw new Error('expected an inet listener');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const request = '<?xml version="1.0"?><methodCall><methodName>supervisor.getAllProcessInfo</methodName><params/></methodCall>';
  // The client only drains the body: this measures the server, not a parser.
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: address.port, path: '/RPC2', method: 'POST', agent,
          headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(request) } },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(request);
    });
  let remaining = calls;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining-- > 0) bytes += await once();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `HTTP getAllProcessInfo x${calls} (concurrency ${concurrency})`.padEnd(40) +
      ` ${(calls / seconds).toFixed(0)} calls/s  ${(bytes / seconds / 1e6).toFixed(0)} MB/s`,
  );
  agent.destroy();
  await servers.close();
}

const infos = processInfos(PROCESSES);
const body = serializeMethodResponse(infos);
console.log(`payload: ${PROCESSES} processes, ${Buffer.byteLength(body)} bytes`);
time('serializeMethodResponseBody (Buffers)', 500, () => serializeMethodResponseBody(infos));
time('serializeMethodResponse (one string)', 500, () => serializeMethodResponse(infos));
time('parseMethodResponse', 100, () => parseMethodResponse(body));
await httpThroughput(infos, CALLS, 4);
