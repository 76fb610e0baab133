import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpDate, medusaErrorBody } from './html.js';

const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** An error status with the text/html body supervisord's HTTP server sends. */
export function sendMedusaError(reply: FastifyReply, code: number): FastifyReply {
  return reply
    .code(code)
    .header('Content-Type', 'text/html')
    .send(medusaErrorBody(code, REASONS[code] ?? 'Error'));
}

/** The headers supervisord puts on its rendered pages (and on the redirect after an action). */
export function noCacheHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Pragma', 'no-cache')
    .header('Cache-Control', 'no-cache')
    .header('Expires', httpDate(new Date(0)));
}

/** The raw request path, without its query string. */
export function requestPath(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function requestQuery(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q < 0 ? '' : request.url.slice(q + 1);
}

/**
 * `http://<host>` for redirects, as supervisord derives it: the Host header
 * without a `:80` port, else the server's own name and port.
 */
export function serverUrl(request: FastifyRequest): string {
  const hostHeader = (request.headers.host ?? '').trim();
  let host: string;
  let port: string | undefined;
  if (hostHeader !== '') {
    const match = /^(.*):([0-9]*)$/s.exec(hostHeader);
    host = match ? match[1] : hostHeader;
    port = match && match[2] !== '' ? match[2] : undefined;
  } else {
    host = 'localhost';
    const local = request.raw.socket?.localPort;
    port = local === undefined ? undefined : String(local);
  }
  return port === undefined || port === '80' ? `http://${host}` : `http://${host}:${port}`;
}
