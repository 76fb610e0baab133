/**
 * Live log tails proxied from agents: the hub opens the agent's own
 * `/logtail/<namespec>[/stderr]` (fleetvisord and supervisord both serve it,
 * following the file as it grows) and relays each chunk as a server-sent
 * event. Bounded: a cap on streams in total and per agent; the agent's
 * stream is paused while the browser is slow to read, so nothing piles up.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { AgentSpec } from '../types.js';
import { ApiError } from './errors.js';
import type { SseConnection } from './sse.js';

export const LOG_STREAM_DEFAULTS = { maxStreams: 64, maxPerAgent: 8, connectTimeoutMs: 10_000, heartbeatMs: 15_000 } as const;

export type LogChannel = 'stdout' | 'stderr';

export interface LogStreamOptions {
  maxStreams?: number;
  maxPerAgent?: number;
  connectTimeoutMs?: number;
  heartbeatMs?: number;
}

export class LogStreams {
  readonly #maxStreams: number;
  readonly #maxPerAgent: number;
  readonly #connectTimeoutMs: number;
  readonly #perAgent = new Map<string, number>();
  readonly #open = new Set<{ connection: SseConnection; upstream: IncomingMessage }>();
  readonly #timer: NodeJS.Timeout;
  #total = 0;

  constructor(options: LogStreamOptions = {}) {
    this.#maxStreams = options.maxStreams ?? LOG_STREAM_DEFAULTS.maxStreams;
    this.#maxPerAgent = options.maxPerAgent ?? LOG_STREAM_DEFAULTS.maxPerAgent;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? LOG_STREAM_DEFAULTS.connectTimeoutMs;
    this.#timer = setInterval(() => {
      for (const { connection } of this.#open) connection.write(': keep-alive\n\n');
    }, options.heartbeatMs ?? LOG_STREAM_DEFAULTS.heartbeatMs);
    this.#timer.unref();
  }

  get open(): number {
    return this.#total;
  }

  /**
   * Opens the agent's tail and resolves once it answered 200; throws an
   * ApiError (busy, not found, agent unreachable) before anything is sent
   * to the client. Call `relay` with the client's event stream next.
   */
  async connect(spec: AgentSpec, namespec: string, channel: LogChannel): Promise<PendingTail> {
    const agentCount = this.#perAgent.get(spec.name) ?? 0;
    if (this.#total >= this.#maxStreams) throw new ApiError('FV_API_BUSY', `the hub already relays ${this.#total} live logs (the most it does)`);
    if (agentCount >= this.#maxPerAgent) throw new ApiError('FV_API_BUSY', `already ${agentCount} live logs from ${spec.name} (the most per agent)`);
    this.#total++;
    this.#perAgent.set(spec.name, agentCount + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#perAgent.get(spec.name) ?? 1) - 1;
      if (left > 0) this.#perAgent.set(spec.name, left);
      else this.#perAgent.delete(spec.name);
    };
    try {
      const upstream = await openTail(spec, namespec, channel, this.#connectTimeoutMs);
      return { relay: (connection) => this.#relay(upstream, connection, release), cancel: () => (upstream.destroy(), release()) };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Ends every relayed stream (hub shutdown). */
  close(): void {
    clearInterval(this.#timer);
    for (const { connection, upstream } of [...this.#open]) {
      upstream.destroy();
      connection.close();
    }
  }

  #relay(upstream: IncomingMessage, connection: SseConnection, release: () => void): void {
    const entry = { connection, upstream };
    this.#open.add(entry);
    const decoder = new StringDecoder('utf8');
    const finish = (reason: string): void => {
      if (!this.#open.delete(entry)) return;
      upstream.destroy();
      release();
      if (!connection.closed) {
        connection.send('end', { reason });
        connection.close();
      }
    };
    connection.onClose(() => finish('client gone'));
    upstream.on('data', (chunk: Buffer) => {
      const data = decoder.write(chunk);
      if (data === '' || !connection.send('log', { data })) return;
      if (connection.congested) {
        upstream.pause();
        connection.onDrain(() => upstream.resume());
      }
    });
    upstream.on('end', () => finish('the agent ended the log'));
    upstream.on('error', (err) => finish(`the agent's stream failed: ${err.message}`));
    upstream.on('close', () => finish('the agent closed the log'));
  }
}

export interface PendingTail {
  relay(connection: SseConnection): void;
  /** The client went away before the relay began. */
  cancel(): void;
}

function openTail(spec: AgentSpec, namespec: string, channel: LogChannel, timeoutMs: number): Promise<IncomingMessage> {
  const path = `/logtail/${encodeURIComponent(namespec)}${channel === 'stderr' ? '/stderr' : ''}`;
  // supervisord's medusa holds back the answer to a `Connection: close` request until it ends, and a live log never ends.
  const headers: Record<string, string> = { Accept: 'text/plain', Connection: 'keep-alive' };
  if (spec.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${spec.username}:${spec.password ?? ''}`).toString('base64')}`;
  let options: http.RequestOptions;
  let transport: typeof http | typeof https = http;
  if (spec.url.startsWith('unix://')) {
    options = { socketPath: spec.url.slice('unix://'.length), path, headers: { ...headers, Host: 'localhost' } };
  } else {
    const url = new URL(spec.url);
    if (url.protocol === 'https:') transport = https;
    options = { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port || (url.protocol === 'https:' ? 443 : 80), path, headers };
  }
  return new Promise((resolve, reject) => {
    const request = transport.request({ ...options, method: 'GET', agent: false }, (response) => {
      clearTimeout(timer);
      if (response.statusCode === 200) return resolve(response);
      response.resume();
      const status = response.statusCode ?? 0;
      if (status === 404 || status === 410) reject(new ApiError('FV_API_NOT_FOUND', `${spec.name} has no ${channel} log for ${namespec}`));
      else reject(new ApiError('FV_API_AGENT', `${spec.name} answered the log tail with HTTP ${status}`));
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new ApiError('FV_API_AGENT', `${spec.name} did not answer the log tail within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('error', (err) => {
      clearTimeout(timer);
      reject(new ApiError('FV_API_AGENT', `${spec.name}: the log tail failed: ${err.message}`));
    });
    request.end();
  });
}
