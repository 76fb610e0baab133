/**
 * Real agents for the fleet tests: fleetvisord (built, from dist/) or the
 * real supervisord, each in its own temp dir on a unix socket, plus the
 * misbehaving servers the health tests need.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlRpcClient } from '../../node-agent/api/client.js';
import { serializeFault } from '../../node-agent/api/xmlrpc-serialize.js';
import type { AgentSpec } from '../../hub/types.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLEETVISORD_DIST = join(REPO, 'dist', 'node-agent', 'main.js');
const SUPERVISORD = '/usr/bin/supervisord';

export type AgentKindUnderTest = 'fleetvisord' | 'supervisord';

export interface TestAgent {
  readonly kind: AgentKindUnderTest;
  readonly dir: string;
  readonly url: string;
  readonly client: XmlRpcClient;
  /** The daemon's pid (a new one after restart()). */
  readonly pid: number;
  spec(name: string, extra?: Partial<AgentSpec>): AgentSpec;
  /** SIGTERM the daemon (SIGKILL after a grace) and wait for it to exit. */
  kill(): Promise<void>;
  /** Starts the daemon again on the same config and socket (a new boot). */
  restart(): Promise<void>;
  /** kill() and remove the temp dir. */
  dispose(): Promise<void>;
}

export function fleetvisordAvailable(): boolean {
  return existsSync(FLEETVISORD_DIST);
}

/** `programs` is config text appended after the standard sections; `{dir}` is the temp dir. */
export async function startAgent(kind: AgentKindUnderTest, programs: string, extraServer = '', clientTimeoutMs = 2000): Promise<TestAgent> {
  const dir = mkdtempSync(join(tmpdir(), `fv-hubfleet-${kind}-`));
  const sock = join(dir, 'sock');
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(
    conf,
    [
      '[unix_http_server]',
      `file=${sock}`,
      extraServer,
      '[supervisord]',
      `logfile=${dir}/supervisord.log`,
      `pidfile=${dir}/supervisord.pid`,
      `childlogdir=${dir}`,
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      programs.replaceAll('{dir}', dir),
      '',
    ].join('\n'),
  );
  const url = `unix://${sock}`;
  const client = new XmlRpcClient({ url, timeoutMs: clientTimeoutMs });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const [cmd, args] = kind === 'supervisord' ? [SUPERVISORD, ['-n', '-c', conf]] : [process.execPath, [FLEETVISORD_DIST, '-n', '-c', conf]];
    const proc = spawn(cmd, args, { cwd: dir, stdio: 'ignore', detached: true });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    await waitAnswering(client, exited, extraServer !== '');
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };

  const dispose = async (): Promise<void> => {
    await kill();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await launch();
  } catch (err) {
    await dispose();
    throw err;
  }
  return {
    kind,
    dir,
    url,
    client,
    get pid() {
      return child!.pid!;
    },
    spec: (name, extra = {}) => ({ name, url, tags: [], source: 'config', ...extra }),
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    dispose,
  };
}

async function waitAnswering(client: XmlRpcClient, exited: Promise<void>, authRequired: boolean): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await client.call('supervisor.getState');
      return;
    } catch (err) {
      const status = ((err as Error).cause as { status?: number } | undefined)?.status;
      if (authRequired && status === 401) return;
      if ((err as { name?: string }).name === 'RpcFault') return;
    }
    if (gone) throw new Error('test agent exited before answering');
    if (Date.now() > deadline) throw new Error('test agent did not answer within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TestServer {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Accepts connections and never answers (a black hole); or, with `hangUp`, closes each one at once. */
export async function startSilentServer(hangUp = false): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    if (hangUp) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP server that answers every XML-RPC call with the UNKNOWN_METHOD fault. */
export async function startUnknownMethodServer(): Promise<TestServer> {
  let connections = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(serializeFault(1, 'UNKNOWN_METHOD'));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on loopback where nothing listens (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
