/**
 * XML-RPC client for supervisord-compatible servers (fleetvisord or a real
 * supervisord), over http, https or a unix socket. Used by the hub and the CLI.
 *
 * A call resolves with the value, rejects with an RpcFault for a fault
 * response, and with FleetvisorError FV_RPC_TRANSPORT for everything below the
 * protocol: connection refused, missing socket file (cause.code ECONNREFUSED /
 * ENOENT), timeouts, non-200 statuses (cause is an HttpStatusError, e.g. 401)
 * and unparsable responses.
 */
import http from 'node:http';
import https from 'node:https';
import { FleetvisorError } from './errors.js';
import type { XmlRpcValue } from './types.js';
import { parseMethodResponse } from './xmlrpc-parse.js';
import { serializeMethodCallBody } from './xmlrpc-serialize.js';

export interface XmlRpcClientOptions {
  /** `http://host:port`, `https://host:port` or `unix:///path/to.sock`. */
  url: string;
  username?: string;
  password?: string;
  /** Per-call timeout; default 30 s. A call may override it. */
  timeoutMs?: number;
  /** Request path; default the URL's path when it has one, else `/RPC2`. */
  path?: string;
  /** Largest response accepted; default 256 MiB. */
  maxResponseBytes?: number;
  /** For https: extra CA certificates and whether to verify the server. */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
}

export interface CallOptions {
  timeoutMs?: number;
}

/** The server answered with a status other than 200. */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly statusMessage: string;

  constructor(status: number, statusMessage: string) {
    super(`${status} ${statusMessage}`);
    this.name = 'HttpStatusError';
    this.status = status;
    this.statusMessage = statusMessage;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const RETRYABLE_ON_REUSED_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

interface Target {
  transport: typeof http | typeof https;
  agent: http.Agent;
  base: http.RequestOptions;
  path: string;
}

function targetFor(opts: XmlRpcClientOptions): Target {
  const agentOptions = { keepAlive: true, maxSockets: 16 };
  if (opts.url.startsWith('unix://')) {
    const socketPath = opts.url.slice('unix://'.length);
    return {
      transport: http,
      agent: new http.Agent(agentOptions),
      base: { socketPath, headers: { Host: 'localhost' } },
      path: opts.path ?? '/RPC2',
    };
  }
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch (err) {
    throw new FleetvisorError('FV_USAGE', `not a server URL: ${opts.url}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FleetvisorError('FV_USAGE', `unsupported server URL scheme: ${opts.url}`);
  }
  const secure = url.protocol === 'https:';
  const path = opts.path ?? (url.pathname !== '/' && url.pathname !== '' ? url.pathname : '/RPC2');
  return {
    transport: secure ? https : http,
    agent: secure ? new https.Agent({ ...agentOptions, ...opts.tls }) : new http.Agent(agentOptions),
    base: { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port || (secure ? 443 : 80) },
    path,
  };
}

export class XmlRpcClient {
  readonly url: string;
  private readonly target: Target;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(opts: XmlRpcClientOptions) {
    this.url = opts.url;
    this.target = targetFor(opts);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (opts.username !== undefined) {
      const token = Buffer.from(`${opts.username}:${opts.password ?? ''}`, 'utf8').toString('base64');
      this.authorization = `Basic ${token}`;
    }
  }

  /**
   * Calls `method`. The result type is the caller's claim about the method's
   * signature; it is not checked here.
   */
  async call<T = XmlRpcValue>(method: string, params: readonly XmlRpcValue[] = [], options: CallOptions = {}): Promise<T> {
    const body = serializeMethodCallBody(method, params);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let raw: Buffer;
    try {
      raw = await this.post(body.chunks, body.byteLength, timeoutMs, true);
    } catch (err) {
      throw this.transportError(method, err);
    }
    let response;
    try {
      response = parseMethodResponse(raw, { maxBytes: this.maxResponseBytes });
    } catch (err) {
      throw this.transportError(method, err);
    }
    if (!response.ok) throw response.fault;
    return response.value as T;
  }

  /** Drops pooled connections; calls in flight finish or fail. */
  /** Ends every call in flight (they reject) and the kept-alive connections. */
  close(): void {
    for (const req of this.inFlight) req.destroy(new Error('client closed'));
    this.inFlight.clear();
    this.target.agent.destroy();
  }

  private transportError(method: string, err: unknown): FleetvisorError {
    const reason = err instanceof Error ? err.message : String(err);
    return new FleetvisorError('FV_RPC_TRANSPORT', `${this.url}: ${method} failed: ${reason}`, { cause: err });
  }

  private post(chunks: Buffer[], byteLength: number, timeoutMs: number, mayRetry: boolean): Promise<Buffer> {
    const { transport, agent, base, path } = this.target;
    const headers: http.OutgoingHttpHeaders = {
      ...(base.headers as http.OutgoingHttpHeaders | undefined),
      'Content-Type': 'text/xml',
      'Content-Length': byteLength,
      'User-Agent': 'fleetvisor',
    };
    if (this.authorization !== undefined) headers.Authorization = this.authorization;
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const finish = (err: unknown, value?: Buffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err === undefined) resolve(value!);
        else reject(err);
      };
      const req = transport.request({ ...base, agent, path, method: 'POST', headers }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          req.destroy();
          finish(new HttpStatusError(res.statusCode ?? 0, res.statusMessage ?? ''));
          return;
        }
        const parts: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > this.maxResponseBytes) {
            req.destroy();
            finish(new Error(`response larger than ${this.maxResponseBytes} bytes`));
            return;
          }
          parts.push(chunk);
        });
        res.on('end', () => finish(undefined, parts.length === 1 ? parts[0] : Buffer.concat(parts)));
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new Error('connection closed before the response ended')));
      });
      this.inFlight.add(req);
      req.once('close', () => this.inFlight.delete(req));
      const timer = setTimeout(() => {
        req.destroy();
        finish(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A pooled connection the server had just closed: the request never reached it.
        if (mayRetry && req.reusedSocket && !settled && RETRYABLE_ON_REUSED_SOCKET.has(err.code ?? '')) {
          settled = true;
          clearTimeout(timer);
          this.post(chunks, byteLength, timeoutMs, false).then(resolve, reject);
          return;
        }
        finish(err);
      });
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }
}
