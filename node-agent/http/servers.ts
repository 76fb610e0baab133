/**
 * The agent's HTTP servers: one fastify application served on every
 * configured unix socket and TCP port, so all listeners share identical
 * handlers (compat spec §3.1). Each listener keeps its own credentials and
 * its own CallContext.server (the config section name).
 */
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { InetHttpServerConfig, UnixHttpServerConfig } from '../config/types.js';
import type { Logger } from '../logs/types.js';
import type { CallContext, RpcDispatcher } from '../rpc/types.js';
import { checkBasicAuth } from './auth.js';
import { listenInet, listenUnix, removeUnixSocket } from './bind.js';
import { rawErrorResponse, reasonPhrase, sendErrorPage, SERVER_HEADER } from './error-page.js';
import { registerRpcRoutes } from './rpc-route.js';

export interface HttpServersOptions {
  dispatcher: RpcDispatcher;
  logger: Logger;
  unix?: readonly UnixHttpServerConfig[];
  inet?: readonly InetHttpServerConfig[];
  /** More routes (status page, /logtail); they sit behind the same auth and error pages. */
  registerRoutes?: (app: FastifyInstance) => void | Promise<void>;
  /** Largest request body accepted; default 16 MiB. */
  maxBodyBytes?: number;
  /** Where `Unlinking stale socket …` goes; default process.stderr. */
  writeStderr?: (text: string) => void;
}

export type BoundAddress =
  | { kind: 'unix'; section: string; file: string }
  | { kind: 'inet'; section: string; host: string; port: number };

export interface HttpServers {
  readonly app: FastifyInstance;
  readonly addresses: readonly BoundAddress[];
  /**
   * Stops listening and removes our unix sockets at once, lets requests in
   * flight finish for up to graceMs (default 1000), then drops what is left.
   */
  close(graceMs?: number): Promise<void>;
}

interface Listener {
  section: string;
  username?: string;
  password?: string;
  server: http.Server;
}

// supervisord has no limit; clients send whole bodies (stdin data, remote events) before reading the answer.
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** medusa drops idle channels after 30 minutes; supervisorctl's shell keeps one open. */
const KEEP_ALIVE_MS = 30 * 60 * 1000;

/**
 * The agent's routes declare no JSON schemas, so fastify's default compilers
 * (ajv and fast-json-stringify, several MiB of resident memory) are never
 * loaded; a route that declares a schema fails loudly at registration.
 */
const NO_SCHEMA_COMPILERS = {
  buildValidator: () => () => {
    throw new Error('fleetvisord routes take no JSON schema');
  },
  buildSerializer: () => () => {
    throw new Error('fleetvisord routes take no JSON schema');
  },
};

function statusForClientError(err: NodeJS.ErrnoException): number {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export async function createHttpServers(opts: HttpServersOptions): Promise<HttpServers> {
  const { logger } = opts;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const writeStderr = opts.writeStderr ?? ((text: string) => void process.stderr.write(text));
  const listenerOf = new WeakMap<http.IncomingMessage, Listener>();
  let fastifyHandler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;

  // Attached to every server; fastify also calls it for the server it was handed, hence the writableEnded check.
  function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || socket.destroyed || socket.writableEnded) return;
    logger.error(`HTTP request could not be parsed: ${err.code ?? err.message}`);
    if (socket.writable) socket.end(rawErrorResponse(statusForClientError(err)));
    else socket.destroy();
  }

  function makeServer(listener: Omit<Listener, 'server'>): Listener {
    const server = http.createServer({ requireHostHeader: false }, (req, res) => {
      listenerOf.set(req, entry);
      res.setHeader('Server', SERVER_HEADER);
      if (logger.isEnabled('TRAC')) logAccess(req, res);
      fastifyHandler!(req, res);
    });
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.on('clientError', onClientError);
    const entry: Listener = { ...listener, server };
    return entry;
  }

  function logAccess(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.once('finish', () => {
      const who = req.socket.remoteAddress ?? 'unix';
      const length = res.getHeader('content-length') ?? '-';
      logger.trace(`${who} "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} ${length}`);
    });
  }

  const listeners: Listener[] = [
    ...(opts.unix ?? []).map((c) => makeServer({ section: c.section, username: c.username, password: c.password })),
    ...(opts.inet ?? []).map((c) => makeServer({ section: c.section, username: c.username, password: c.password })),
  ];
  const idle = makeServer({ section: 'none' });

  const app = fastify({
    logger: false,
    bodyLimit: maxBodyBytes,
    routerOptions: { maxParamLength: 2048 },
    clientErrorHandler: onClientError,
    schemaController: { compilersFactory: NO_SCHEMA_COMPILERS },
    serverFactory: (handler) => {
      fastifyHandler = handler;
      return (listeners[0] ?? idle).server;
    },
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const listener = listenerOf.get(request.raw);
    if (listener?.username === undefined) return;
    const outcome = checkBasicAuth(request.headers.authorization, {
      username: listener.username,
      password: listener.password ?? '',
    });
    if (outcome.kind === 'ok') return;
    if (outcome.kind === 'malformed') {
      logger.error(`malformed authorization info <${request.headers.authorization}>`);
      return sendErrorPage(reply, 400);
    }
    return sendErrorPage(reply, 401, { 'WWW-Authenticate': 'Basic realm="default"', Connection: 'close' });
  });

  app.setNotFoundHandler((_request, reply) => sendErrorPage(reply, 404));
  app.setErrorHandler((err: { statusCode?: number; message?: string; stack?: string }, request, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) logger.error(`HTTP ${request.method} ${request.url} failed: ${err.stack ?? err.message}`);
    else logger.trace(`HTTP ${request.method} ${request.url}: ${status} ${reasonPhrase(status)} (${err.message})`);
    return sendErrorPage(reply, status);
  });

  const contextOf = (req: http.IncomingMessage): CallContext => ({ server: listenerOf.get(req)?.section ?? 'none' });
  registerRpcRoutes(app, { dispatcher: opts.dispatcher, logger, maxBodyBytes, contextOf });
  if (opts.registerRoutes) await opts.registerRoutes(app);
  await app.ready();

  const addresses: BoundAddress[] = [];
  const unixSockets: { file: string; ino: number }[] = [];
  const bound: Listener[] = [];
  try {
    for (const [i, config] of (opts.unix ?? []).entries()) {
      const { ino } = await listenUnix(listeners[i].server, config, writeStderr);
      bound.push(listeners[i]);
      unixSockets.push({ file: config.file, ino });
      addresses.push({ kind: 'unix', section: config.section, file: config.file });
    }
    const offset = opts.unix?.length ?? 0;
    for (const [i, config] of (opts.inet ?? []).entries()) {
      const listener = listeners[offset + i];
      const { host, port } = await listenInet(listener.server, config);
      bound.push(listener);
      addresses.push({ kind: 'inet', section: config.section, host, port });
    }
  } catch (err) {
    await Promise.all(bound.map((l) => closeServer(l.server)));
    for (const socket of unixSockets) removeUnixSocket(socket.file, socket.ino);
    await app.close();
    throw err;
  }
  for (const listener of listeners) {
    if (listener.username === undefined) {
      logger.critical(`Server '${listener.section}' running without any HTTP authentication checking`);
    }
  }

  let closing: Promise<void> | undefined;
  async function close(graceMs = 1000): Promise<void> {
    const closed = Promise.all(listeners.map((l) => closeServer(l.server)));
    for (const socket of unixSockets) removeUnixSocket(socket.file, socket.ino);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([closed, deadline]);
    clearTimeout(timer);
    for (const listener of listeners) listener.server.closeAllConnections();
    await closed;
    await app.close();
  }

  return {
    app,
    addresses,
    close: (graceMs) => (closing ??= close(graceMs)),
  };
}
