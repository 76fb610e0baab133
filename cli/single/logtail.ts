/**
 * The raw HTTP GET supervisorctl uses for `tail -f`, `maintail -f` and `fg`:
 * it writes the request by hand (the server's /logtail answer is an endless
 * chunked body that ordinary clients buffer or time out on) and hands every
 * body byte to `onData` as it arrives.
 *
 * The request is byte for byte supervisorctl's, including the blank line
 * after the headers and the empty `Host:` over a unix socket.
 */
import net from 'node:net';

export interface LogtailRequest {
  /** The -s URL: `http://host[:port]` or `unix:///path`. */
  serverurl: string;
  /** `/logtail/<name>/<channel>` or `/mainlogtail`, sent as given (not URL-encoded). */
  path: string;
  username?: string;
  password?: string;
}

export interface LogtailHandlers {
  onData(data: Buffer): void;
  /** supervisorctl's wording, prefixed by the URL by the caller: `Cannot read, status code 404`. */
  onError(message: string): void;
}

export interface LogtailStream {
  /** Resolves when the server ends the body, the connection drops or close() is called. */
  readonly done: Promise<void>;
  close(): void;
}

function hostOf(serverurl: string): { host: string; connect: net.NetConnectOpts } {
  if (serverurl.startsWith('unix://')) return { host: '', connect: { path: serverurl.slice('unix://'.length) } };
  const afterScheme = serverurl.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const host = afterScheme.split(/[/?#]/, 1)[0];
  const colon = host.lastIndexOf(':');
  const hostname = colon >= 0 ? host.slice(0, colon) : host;
  const port = colon >= 0 ? Number(host.slice(colon + 1)) : 80;
  return { host, connect: { host: hostname.replace(/^\[(.*)\]$/, '$1'), port } };
}

export function requestBytes(req: LogtailRequest, host: string): string {
  const lines = [
    `GET ${req.path} HTTP/1.1`,
    `Host: ${host}`,
    'Accept-Encoding: chunked',
    'Accept: */*',
    'User-agent: Supervisor HTTP Client',
  ];
  if (req.password) {
    const token = Buffer.from(`${req.username ?? ''}:${req.password}`, 'utf8').toString('base64');
    lines.push(`Authorization: Basic ${token}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n\r\n`;
}

type Part = 'status' | 'headers' | 'chunkSize' | 'chunkBody' | 'chunkEnd' | 'body' | 'ignore';

/** Incremental parser of one HTTP/1.x response: status line, headers, chunked or length-framed body. */
class ResponseParser {
  private part: Part = 'status';
  private buffer: Buffer = Buffer.alloc(0);
  private chunked = false;
  private remaining = 0;
  private lengthKnown = false;

  constructor(
    private readonly handlers: LogtailHandlers,
    private readonly finish: () => void,
  ) {}

  feed(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    while (this.step()) {
      // keep consuming while a complete unit is buffered
    }
  }

  private takeLine(): string | undefined {
    const end = this.buffer.indexOf('\r\n');
    if (end < 0) return undefined;
    const line = this.buffer.subarray(0, end).toString('latin1');
    this.buffer = this.buffer.subarray(end + 2);
    return line;
  }

  private step(): boolean {
    switch (this.part) {
      case 'status': {
        const line = this.takeLine();
        if (line === undefined) return false;
        const status = Number(line.split(/\s+/)[1]);
        if (status !== 200) {
          this.part = 'ignore';
          this.handlers.onError(`Cannot read, status code ${status}`);
          this.finish();
          return false;
        }
        this.part = 'headers';
        return true;
      }
      case 'headers': {
        const line = this.takeLine();
        if (line === undefined) return false;
        if (line === '') {
          this.part = this.chunked ? 'chunkSize' : 'body';
          return true;
        }
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'transfer-encoding') this.chunked = value.toLowerCase() === 'chunked';
        if (name === 'content-length') {
          this.remaining = Number(value);
          this.lengthKnown = true;
        }
        return true;
      }
      case 'chunkSize': {
        const line = this.takeLine();
        if (line === undefined) return false;
        if (line.trim() === '') return true;
        const size = parseInt(line.trim().split(/[\s;]/)[0], 16);
        if (!(size > 0)) {
          this.part = 'ignore';
          this.finish();
          return false;
        }
        this.remaining = size;
        this.part = 'chunkBody';
        return true;
      }
      case 'chunkBody': {
        if (this.buffer.length === 0) return false;
        const piece = this.buffer.subarray(0, this.remaining);
        this.buffer = this.buffer.subarray(piece.length);
        this.remaining -= piece.length;
        this.handlers.onData(piece);
        if (this.remaining === 0) this.part = 'chunkSize';
        return true;
      }
      case 'body': {
        if (this.buffer.length === 0) return false;
        const piece = this.lengthKnown ? this.buffer.subarray(0, this.remaining) : this.buffer;
        this.buffer = this.buffer.subarray(piece.length);
        this.handlers.onData(piece);
        if (this.lengthKnown) {
          this.remaining -= piece.length;
          if (this.remaining <= 0) {
            this.part = 'ignore';
            this.finish();
            return false;
          }
        }
        return true;
      }
      default:
        this.buffer = Buffer.alloc(0);
        return false;
    }
  }
}

export function openLogtail(req: LogtailRequest, handlers: LogtailHandlers): LogtailStream {
  const { host, connect } = hostOf(req.serverurl);
  let socket: net.Socket | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finish = (): void => {
    socket?.destroy();
    resolveDone();
  };
  const parser = new ResponseParser(handlers, finish);
  socket = net.connect(connect);
  socket.on('connect', () => socket!.write(requestBytes(req, host)));
  socket.on('data', (data: Buffer) => parser.feed(data));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    handlers.onError(`Cannot connect, error: ${err.code ?? err.name} (${err.message})`);
    finish();
  });
  socket.on('close', finish);
  return { done, close: finish };
}
