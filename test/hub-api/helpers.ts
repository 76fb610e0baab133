/**
 * A hub started in-process on port 0 with its store in a temp dir, real
 * fleetvisord agents, and small clients for its JSON routes and its
 * server-sent events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHubConfig, type HubConfig } from '../../hub/config.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import type { AgentSpec } from '../../hub/types.js';

export const ADMIN_PASSWORD = 'admin-secret-1';

export interface TestHub {
  hub: RunningHub;
  dir: string;
  url: string;
  stop(): Promise<void>;
}

export async function startTestHub(agents: AgentSpec[], extra: Partial<HubConfig> = {}): Promise<TestHub> {
  const dir = mkdtempSync(join(tmpdir(), 'fv-hubapi-'));
  const config: HubConfig = {
    ...defaultHubConfig(join(dir, 'data')),
    listen: { host: '127.0.0.1', port: 0 },
    longPollSeconds: 5,
    callTimeoutMs: 3000,
    pollIntervalMs: 200,
    agents,
    ...extra,
  };
  const hub = await startHub({ config, adminPassword: ADMIN_PASSWORD, backoff: { initialMs: 100, maxMs: 400 }, webDir: join(dir, 'web') });
  return {
    hub,
    dir,
    url: hub.url,
    stop: async () => {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: T;
  text: string;
}

export interface Auth {
  token?: string;
  cookie?: string;
  csrf?: string;
}

export async function api<T = any>(base: string, method: string, path: string, options: { auth?: Auth; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth?.token !== undefined) headers.authorization = `Bearer ${options.auth.token}`;
  if (options.auth?.cookie !== undefined) headers.cookie = options.auth.cookie;
  if (options.auth?.csrf !== undefined) headers['x-csrf-token'] = options.auth.csrf;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  let body: any = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
  const plain: http.IncomingHttpHeaders = {};
  response.headers.forEach((value, key) => (plain[key] = value));
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) plain['set-cookie'] = cookies;
  return { status: response.status, headers: plain, body, text };
}

/** Logs in; returns the bearer token and the cookie pair a browser would keep. */
export async function login(base: string, username: string, password: string): Promise<Required<Auth>> {
  const answer = await api(base, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (answer.status !== 200) throw new Error(`login ${username}: ${answer.status} ${answer.text}`);
  const cookies = (answer.headers['set-cookie'] as string[]).map((line) => line.split(';')[0]);
  return { token: answer.body.token, cookie: cookies.join('; '), csrf: answer.body.csrf };
}

export interface SseMessage {
  event: string;
  data: any;
  id?: string;
}

/** An event-stream client: collects messages, waits for one that matches. */
export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly #waiters = new Set<() => void>();
  #request: http.ClientRequest | undefined;
  #ended = false;
  status = 0;

  static open(url: string, auth: Auth, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    return new Promise((resolve, reject) => {
      const all: Record<string, string> = { accept: 'text/event-stream', ...headers };
      if (auth.token !== undefined) all.authorization = `Bearer ${auth.token}`;
      if (auth.cookie !== undefined) all.cookie = auth.cookie;
      const request = http.get(url, { headers: all }, (response) => {
        reader.status = response.statusCode ?? 0;
        if (reader.status !== 200) {
          response.resume();
          return resolve(reader);
        }
        let buffer = '';
        response.on('error', () => undefined); // closed by either side: 'close' follows
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            reader.#parse(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        response.on('close', () => {
          reader.#ended = true;
          reader.#wake();
        });
        resolve(reader);
      });
      reader.#request = request;
      request.on('error', reject);
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  #parse(block: string): void {
    const message: Partial<SseMessage> = {};
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') message.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') message.id = value;
    }
    if (data.length === 0) return;
    this.messages.push({ event: message.event ?? 'message', data: JSON.parse(data.join('\n')), ...(message.id !== undefined ? { id: message.id } : {}) });
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** The first message (already received or still to come) that `match` accepts. */
  waitFor(match: (message: SseMessage) => boolean, timeoutMs = 5000, what = 'message'): Promise<SseMessage> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.messages.find(match);
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.#ended) {
          done();
          reject(new Error(`stream ended before ${what}; got ${JSON.stringify(this.messages.map((m) => m.event))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-10))}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves when the server ends the stream. */
  untilEnded(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#ended) return resolve();
      const timer = setTimeout(() => reject(new Error('stream did not end')), timeoutMs);
      const check = (): void => {
        if (!this.#ended) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  close(): void {
    this.#request?.destroy();
  }
}

/** Polls `check` (a store or API read) until it returns a value; for conditions with no event to wait on. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
