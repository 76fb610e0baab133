import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpDate } from './html.js';
import { requestPath, sendMedusaError } from './replies.js';
import { staticAsset } from './static-assets.js';
import { pyUnquote } from './url-encoding.js';

/** Assets never change while the daemon runs: their date is the daemon's start, to the second. */
const ASSETS_DATE = new Date(Math.floor(Date.now() / 1000) * 1000);

/** `/stylesheets/...` and `/images/...`: GET/HEAD only, as supervisord's file handler. */
export function serveStatic(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendMedusaError(reply, 400);
  const asset = staticAsset(pyUnquote(requestPath(request)).replace(/^\/+/, ''));
  if (!asset) return sendMedusaError(reply, 404);
  const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
  if (!Number.isNaN(since) && since >= ASSETS_DATE.getTime()) {
    return reply.code(304).header('Last-Modified', httpDate(ASSETS_DATE)).send();
  }
  return reply
    .code(200)
    .header('Content-Type', asset.contentType)
    .header('Last-Modified', httpDate(ASSETS_DATE))
    .send(asset.body);
}
