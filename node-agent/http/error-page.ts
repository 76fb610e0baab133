/**
 * HTTP error replies in the shape medusa (supervisord's HTTP server) writes
 * them: a small text/html page and medusa's own reason phrases.
 */
import type { FastifyReply } from 'fastify';

/** Reason phrases as medusa spells them (node's differ for 408, 413, 414, 504). */
const MEDUSA_REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Time-out',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export const SERVER_HEADER = 'Medusa/1.12';

export function reasonPhrase(status: number): string {
  return MEDUSA_REASONS[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

export function errorPageBody(status: number): string {
  return (
    '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n' +
    `<p>Error code ${status}.\r\n<p>Message: ${reasonPhrase(status)}.\r\n</body>\r\n`
  );
}

/** Sends medusa's error page; `headers` adds e.g. WWW-Authenticate. */
export function sendErrorPage(reply: FastifyReply, status: number, headers: Record<string, string> = {}): FastifyReply {
  reply.raw.statusMessage = reasonPhrase(status);
  return reply.code(status).headers({ ...headers, 'content-type': 'text/html' }).send(errorPageBody(status));
}

/**
 * The same page written straight to a socket, for errors node's HTTP parser
 * reports before any request object exists (malformed request line, huge headers).
 */
export function rawErrorResponse(status: number): string {
  const body = errorPageBody(status);
  return (
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n` +
    `Server: ${SERVER_HEADER}\r\n` +
    `Date: ${new Date().toUTCString()}\r\n` +
    'Content-Type: text/html\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}
