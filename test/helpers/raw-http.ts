/**
 * Raw HTTP against a test daemon (unix socket or TCP port), for checking
 * status lines, headers and error pages byte for byte, including requests a
 * normal client would refuse to send.
 */
import net from 'node:net';

export type Endpoint = { port: number; host?: string } | { path: string };

export interface RawResponse {
  status: number;
  /** The status line without CRLF, e.g. `HTTP/1.1 400 Bad Request`. */
  statusLine: string;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body, de-chunked when the response is chunked. */
  body: string;
}

/**
 * Sends `data` on a new connection and collects what comes back until the
 * server closes the connection, stays quiet for `idleMs`, or what came so far
 * satisfies `until`.
 */
export function exchange(
  endpoint: Endpoint,
  data: string | Buffer,
  idleMs = 400,
  until?: (raw: string) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = 'port' in endpoint ? net.connect(endpoint.port, endpoint.host ?? '127.0.0.1') : net.connect(endpoint.path);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    };
    socket.on('connect', () => {
      socket.write(data);
      arm();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (until?.(Buffer.concat(chunks).toString('utf8'))) done();
      else arm();
    });
    socket.on('end', done);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // a server may reset the connection after answering a request it refused
      if (chunks.length > 0 && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) done();
      else reject(err);
    });
  });
}

function dechunk(text: string): { body: string; rest: string } {
  let body = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    if (eol < 0) return { body, rest: '' };
    const size = parseInt(text.slice(at, eol), 16);
    if (!Number.isFinite(size)) return { body, rest: '' };
    at = eol + 2;
    if (size === 0) {
      const end = text.indexOf('\r\n', at);
      return { body, rest: end < 0 ? '' : text.slice(end + 2) };
    }
    body += text.slice(at, at + size);
    at += size + 2;
  }
}

/** Splits a server's output into responses (several when requests were pipelined). */
export function parseResponses(raw: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const [statusLine, ...headerLines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const afterHead = rest.slice(headEnd + 4);
    let body: string;
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      ({ body, rest } = dechunk(afterHead));
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      const bytes = Buffer.from(afterHead, 'utf8');
      body = bytes.subarray(0, length).toString('utf8');
      rest = bytes.subarray(length).toString('utf8');
    } else {
      body = afterHead;
      rest = '';
    }
    responses.push({ status: Number(statusLine.split(' ')[1]), statusLine, headers, body });
  }
  return responses;
}

/** True once `raw` holds a whole response with a Content-Length body. */
export function hasCompleteResponse(raw: string): boolean {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(raw.slice(0, headEnd))?.[1];
  return length !== undefined && Buffer.byteLength(raw.slice(headEnd + 4)) >= Number(length);
}

/**
 * One request on a new connection; the first response. Returns as soon as a
 * whole Content-Length response (or what `until` wants) has arrived.
 */
export async function request(
  endpoint: Endpoint,
  data: string | Buffer,
  idleMs = 5_000,
  until: (raw: string) => boolean = hasCompleteResponse,
): Promise<RawResponse> {
  const raw = await exchange(endpoint, data, idleMs, until);
  const [first] = parseResponses(raw);
  if (!first) throw new Error(`no HTTP response; got ${JSON.stringify(raw.slice(0, 500))}`);
  return first;
}

export function xmlRpcBody(method: string, paramsXml = ''): string {
  return `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${paramsXml}</params></methodCall>`;
}

/** A POST with a correct Content-Length; `extraHeaders` are complete `Name: value\r\n` lines. */
export function post(path: string, body: string | Buffer, extraHeaders = '', connection = 'close'): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head =
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n` +
    `Content-Length: ${bytes.length}\r\nConnection: ${connection}\r\n${extraHeaders}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

/** A GET; `connection` null leaves the Connection header out (HTTP/1.1 keep-alive). */
export function get(path: string, extraHeaders = '', connection: string | null = 'close'): string {
  const connectionLine = connection === null ? '' : `Connection: ${connection}\r\n`;
  return `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${connectionLine}${extraHeaders}\r\n`;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
