/**
 * A SYNTHETIC hub for the web view's benchmark: it answers the few routes the
 * overview needs (auth/me, agents, processes, stream) with a made-up fleet of
 * `hosts` × `perHost` processes, serves the built dist/web, and on the live
 * stream sends `rate` process state changes a second as `event: hub-event`,
 * shaped as docs/hub-api.md says. It stands in for a real hub following 100
 * real agents, which 2 shared cores cannot run alongside Chromium; its
 * output is labelled as synthetic wherever it is reported.
 */
import { createReadStream, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';

export interface SyntheticHubOptions {
  hosts: number;
  perHost: number;
  /** State changes per second on each open stream. */
  rate: number;
  webDir: string;
}

export interface SyntheticHub {
  url: string;
  /** State changes sent on all streams so far. */
  sent(): number;
  /** Starts (or stops, with 0) the changes on every open and future stream. */
  setRate(rate: number): void;
  close(): Promise<void>;
}

interface FakeProcess {
  agent: string;
  group: string;
  name: string;
  namespec: string;
  state: string;
  statecode: number;
  pid: number;
  description: string;
  start: number;
  stop: number;
  exitstatus: number;
  spawnerr: string;
  updated: number;
}

const CYCLE: [string, number][] = [
  ['STOPPING', 40],
  ['STOPPED', 0],
  ['STARTING', 10],
  ['RUNNING', 20],
];

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export function hostName(i: number): string {
  return `host${String(i).padStart(3, '0')}`;
}

export async function startSyntheticHub(options: SyntheticHubOptions): Promise<SyntheticHub> {
  const now = Date.now();
  const processes: FakeProcess[] = [];
  for (let h = 0; h < options.hosts; h++) {
    for (let p = 0; p < options.perHost; p++) {
      const name = `prog${String(p).padStart(2, '0')}`;
      processes.push({
        agent: hostName(h), group: name, name, namespec: `${name}:${name}`, state: 'RUNNING', statecode: 20,
        pid: 10_000 + h * 100 + p, description: `pid ${10_000 + h * 100 + p}, uptime 1:00:00`, start: Math.floor(now / 1000) - 3600,
        stop: 0, exitstatus: 0, spawnerr: '', updated: now,
      });
    }
  }
  const agents = Array.from({ length: options.hosts }, (_, h) => ({
    name: hostName(h), url: `http://10.0.${h >> 8}.${h & 255}:9001`, tags: [h % 2 === 0 ? 'even' : 'odd', 'bench'], source: 'config', hasCredentials: false,
    health: { state: 'online', kind: 'fleetvisord', version: 'synthetic', latencyMs: 1 + (h % 7), lastContact: now },
  }));
  const streams = new Set<http.ServerResponse>();
  let sent = 0;
  let rate = options.rate;
  let serial = 0;
  let timer: NodeJS.Timeout | undefined;

  const tick = (): void => {
    // Changes due by the clock since the rate was set, so a late timer catches up instead of lowering the rate.
    if (streams.size === 0 || rate === 0) return;
    const due = Math.floor(((Date.now() - rateSince) / 1000) * rate) - sentAtRate;
    for (let n = 0; n < due; n++) {
      sentAtRate++;
      const process = processes[Math.floor(Math.random() * processes.length)]!;
      const index = CYCLE.findIndex(([state]) => state === process.state);
      const [toState, code] = CYCLE[(index + 1) % CYCLE.length]!;
      const event = {
        id: ++serial, agent: process.agent, boot: 'synthetic', serial, time: Date.now(), type: `PROCESS_STATE_${toState}`, group: process.group,
        process: process.name, fromState: process.state, toState, ...(toState === 'RUNNING' ? { pid: process.pid } : {}), observed: false,
      };
      process.state = toState;
      process.statecode = code;
      process.updated = event.time;
      const frame = `event: hub-event\nid: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const stream of streams) stream.write(frame);
      sent++;
    }
  };
  let rateSince = Date.now();
  let sentAtRate = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const webDir = resolve(options.webDir);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/api/v1/auth/me') return json(res, 200, { name: 'bench', role: 'operator' });
    if (path === '/api/v1/agents') return json(res, 200, agents);
    if (path === '/api/v1/processes') {
      const states: Record<string, number> = {};
      for (const p of processes) states[p.state] = (states[p.state] ?? 0) + 1;
      return json(res, 200, { processes, hosts: { online: agents.length, offline: 0, total: agents.length }, states });
    }
    if (path === '/api/v1/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('retry: 2000\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (path.startsWith('/api/')) return json(res, 404, { error: { code: 'FV_API_NOT_FOUND', message: `synthetic hub: no ${path}` } });
    const file = join(webDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(webDir) || !existsSync(file)) return json(res, 404, { error: { code: 'FV_API_NOT_FOUND', message: path } });
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  timer = setInterval(tick, 10);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent,
    setRate: (next) => {
      rate = next;
      rateSince = Date.now();
      sentAtRate = 0;
    },
    close: async () => {
      clearInterval(timer);
      for (const stream of streams) stream.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
