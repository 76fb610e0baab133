/**
 * The hub's REST API and event streams over fetch, with the bearer token.
 * Every failure is a HubError: the hub's own `{error: {code, message}}`,
 * or FV_CLI_UNREACHABLE when no answer came at all.
 */
import { readSse, type SseMessage } from './sse.js';

export type QueryValue = string | number | boolean | undefined | readonly string[];
export type Query = Record<string, QueryValue>;

export class HubError extends Error {
  /** The hub's code (FV_API_UNAUTHORIZED, FV_OPS_NO_MATCH …) or FV_CLI_UNREACHABLE / FV_CLI_BAD_ANSWER. */
  readonly code: string;
  /** HTTP status, 0 when the hub could not be reached. */
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'HubError';
    this.code = code;
    this.status = status;
  }
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export class HubClient {
  readonly url: string;
  readonly #token: string | undefined;

  constructor(url: string, token?: string) {
    this.url = url.replace(/\/+$/, '');
    this.#token = token;
  }

  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** `/api/v1/...` with the query (arrays repeat the parameter). */
  href(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
      else params.append(key, String(value));
    }
    const text = params.toString();
    return `${this.url}${path}${text === '' ? '' : `?${text}`}`;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path, {});
  }

  async request<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const response = await this.#fetch(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HubError('FV_CLI_BAD_ANSWER', `${method} ${path}: the hub answered ${response.status} with something that is not JSON`, response.status);
    }
  }

  /** Opens an event stream; throws a HubError before yielding when the hub refuses it. */
  async stream(path: string, options: { query?: Query; signal?: AbortSignal; lastEventId?: string } = {}): Promise<AsyncGenerator<SseMessage>> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const response = await this.#fetch('GET', path, { query: options.query, signal: options.signal }, headers);
    if (response.body === null) throw new HubError('FV_CLI_BAD_ANSWER', `GET ${path}: the hub sent no stream`, response.status);
    return readSse(response.body as unknown as AsyncIterable<Uint8Array>);
  }

  async #fetch(method: string, path: string, options: RequestOptions, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await fetch(this.href(path, options.query), { method, headers, body, signal: options.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new HubError('FV_CLI_UNREACHABLE', `cannot reach the hub at ${this.url}: ${why}`, 0);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let code = `HTTP_${response.status}`;
    let message = text.trim() === '' ? response.statusText : text.trim().slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (parsed.error?.code !== undefined) code = parsed.error.code;
      if (parsed.error?.message !== undefined) message = parsed.error.message;
    } catch {
      // not the hub's error shape: keep the raw text
    }
    if (response.status === 401) {
      message = this.#token === undefined
        ? `the hub at ${this.url} wants a token: run 'fleetvisorctl --hub ${this.url} login', or give --token / FLEETVISOR_TOKEN`
        : `the hub at ${this.url} refused the token (${message}): run 'fleetvisorctl --hub ${this.url} login' again`;
    }
    throw new HubError(code, message, response.status);
  }
}
