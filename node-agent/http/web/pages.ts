import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallContext } from '../../rpc/types.js';
import { runAction } from './actions.js';
import { noCacheHeaders, requestQuery, sendMedusaError, serverUrl } from './replies.js';
import { collectStatusRows, renderStatusPage } from './status-page.js';
import { renderTailPage } from './tail-page.js';
import type { WebDeps } from './types.js';
import { parseForm, pyQuote } from './url-encoding.js';

const HTML = 'text/html;charset=utf-8';

/** Thrown for what makes supervisord's page raise: answered with HTTP 500 and logged. */
export class WebPageError extends Error {
  override readonly name = 'WebPageError';
}

function formOf(request: FastifyRequest): Map<string, string> {
  const body = typeof request.body === 'string' ? request.body : '';
  return parseForm(requestQuery(request), body);
}

function contextOf(deps: WebDeps, request: FastifyRequest): CallContext {
  return deps.callContext?.(request) ?? { server: 'web' };
}

/** `/` and `/index.html`: act on `action=` (then redirect with a message), else show the status page. */
export async function statusPage(deps: WebDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = formOf(request);
  const action = form.get('action');
  if (action !== undefined && request.method !== 'HEAD') {
    const outcome = await runAction(action, form.get('processname'), {
      supervisor: deps.supervisor,
      dispatcher: deps.dispatcher,
      ctx: contextOf(deps, request),
    });
    if (outcome.kind === 'bad-action') throw new WebPageError(`unknown web action ${JSON.stringify(outcome.action)}`);
    noCacheHeaders(reply).header('Location', `${serverUrl(request)}/?message=${pyQuote(outcome.message)}`);
    return sendMedusaError(reply, 301);
  }
  const page = renderStatusPage({
    rows: collectStatusRows(deps.supervisor),
    message: form.get('message'),
    year: new Date().getFullYear(),
  });
  return noCacheHeaders(reply).code(200).header('Content-Type', HTML).send(page);
}

/** `/tail.html?processname=N&limit=L`. */
export async function tailPage(deps: WebDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = formOf(request);
  const page = await renderTailPage({
    processname: form.get('processname'),
    limit: form.get('limit'),
    dispatcher: deps.dispatcher,
    ctx: contextOf(deps, request),
  });
  return noCacheHeaders(reply).code(200).header('Content-Type', HTML).send(page);
}

/** `/ok.html`: a liveness probe. */
export function okPage(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(200).header('Content-Type', 'text/plain').send('OK');
}

/** Wrap a page so an unexpected error becomes supervisord's 500 and a `Web interface error` log line. */
export function guardPage(
  deps: WebDeps,
  page: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'POST' && request.method !== 'HEAD') {
      return sendMedusaError(reply, 400);
    }
    try {
      return await page(request, reply);
    } catch (err) {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      deps.logger.error(`Web interface error:${detail}`);
      if (reply.sent) return reply;
      return sendMedusaError(reply, 500);
    }
  };
}
