/**
 * One running hub: the store in data_dir/hub.sqlite, the fleet following
 * every agent (hub.ini's and those added through the API) into the store,
 * the operations service, retention, and the API server. main.ts wraps it
 * with flags and signals; tests start it in-process.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from './api/server.js';
import { LogStreams } from './api/log-stream.js';
import { SessionStore } from './api/sessions.js';
import { LiveFeed } from './api/sse.js';
import type { ApiContext } from './api/context.js';
import type { HubConfig } from './config.js';
import { Fleet } from './fleet/fleet.js';
import type { BackoffOptions } from './fleet/types.js';
import { OperationsService } from './ops/index.js';
import { StoreSink } from './sink.js';
import { HubStore } from './store/index.js';

export interface HubOptions {
  config: HubConfig;
  /** The built web view (default dist/web of this package). */
  webDir?: string;
  /** The first admin's password when the hub has no user yet (default: FLEETVISOR_ADMIN_PASSWORD, else random). */
  adminPassword?: string;
  /** Reconnect pacing of the connectors (tests shorten it). */
  backoff?: BackoffOptions;
  /** fastify's log level (default: off). */
  logLevel?: string;
  /** How long close() waits for each part before moving on (default 5 s). */
  closeTimeoutMs?: number;
}

export interface FirstAdmin {
  name: string;
  password: string;
  /** True when the hub made the password up (it is printed once, never stored in clear). */
  generated: boolean;
}

export interface RunningHub {
  /** http(s)://host:port of the listener. */
  url: string;
  config: HubConfig;
  store: HubStore;
  fleet: Fleet;
  ops: OperationsService;
  app: FastifyInstance;
  /** Set when this start created the first user. */
  firstAdmin?: FirstAdmin;
  close(): Promise<void>;
}

export const FIRST_ADMIN = 'admin';

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { config } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const store = HubStore.open(join(config.dataDir, 'hub.sqlite'), {
    configAgents: config.agents,
    retention: { maxAgeMs: config.retention.maxAgeMs, maxRows: config.retention.maxRows },
  });
  const firstAdmin = ensureFirstAdmin(store, options.adminPassword ?? process.env.FLEETVISOR_ADMIN_PASSWORD);
  closeInterruptedOperations(store);
  const sink = new StoreSink(store);
  const fleet = new Fleet({
    sink,
    concurrency: config.concurrency,
    timeouts: { callMs: config.callTimeoutMs, longPollSeconds: config.longPollSeconds },
    pollIntervalMs: config.pollIntervalMs,
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
  });
  for (const spec of store.agents.list()) fleet.add(spec);
  const ops = new OperationsService({ fleet, log: store.ops, callTimeoutMs: config.callTimeoutMs });
  const ctx: ApiContext = {
    store,
    fleet,
    ops,
    sink,
    config,
    sessions: new SessionStore(),
    feed: new LiveFeed(fleet),
    logs: new LogStreams({ connectTimeoutMs: config.callTimeoutMs }),
    webDir: options.webDir ?? defaultWebDir(),
    secureCookies: config.tls !== undefined,
  };
  let app: FastifyInstance | undefined;
  try {
    ({ app } = await createApiServer(ctx, { ...(config.tls ? { tls: config.tls } : {}), ...(options.logLevel ? { logLevel: options.logLevel } : {}), version: hubVersion() }));
    fleet.start();
    store.retention.start();
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    await app?.close().catch(() => undefined);
    ctx.feed.close();
    ctx.logs.close();
    await fleet.stop();
    store.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const url = `${config.tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  const timeoutMs = options.closeTimeoutMs ?? 5000;
  let closing: Promise<void> | undefined;
  const running: RunningHub = {
    url,
    config,
    store,
    fleet,
    ops,
    app,
    ...(firstAdmin !== undefined ? { firstAdmin } : {}),
    close: () =>
      (closing ??= (async () => {
        await bounded(app!.close(), timeoutMs);
        await bounded(ops.close(), timeoutMs);
        await bounded(fleet.stop(), timeoutMs);
        store.close();
      })()),
  };
  return running;
}

/** At the first start (no user at all) the hub makes the admin. */
function ensureFirstAdmin(store: HubStore, password: string | undefined): FirstAdmin | undefined {
  if (store.users.listUsers().length > 0) return undefined;
  const generated = password === undefined || password === '';
  const text = generated ? randomBytes(12).toString('base64url') : password;
  store.users.createUser(FIRST_ADMIN, 'admin', text);
  return { name: FIRST_ADMIN, password: text, generated };
}

/** Operations still 'running' in the log ran when the hub last stopped without finishing them: they end as cancelled. */
function closeInterruptedOperations(store: HubStore): void {
  let beforeId: number | undefined;
  for (;;) {
    const page = store.ops.list({ limit: 500, ...(beforeId !== undefined ? { beforeId } : {}) });
    for (const record of page) if (record.status === 'running') store.ops.finish(record.id, 'cancelled');
    if (page.length < 500) return;
    beforeId = page.at(-1)!.id;
  }
}

async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The package root: the nearest folder above this module with fleetvisor's package.json. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'fleetvisor') return dir;
    } catch {
      // not here
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function defaultWebDir(): string {
  return resolve(packageRoot() ?? process.cwd(), 'dist', 'web');
}

function hubVersion(): string {
  const root = packageRoot();
  if (root === undefined) return '0';
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
