/**
 * The XML-RPC endpoint: POST to any path starting with /RPC2 (compat spec §3.1).
 * Parses, hands the call to the dispatcher and serialises; nothing else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { FleetvisorError } from '../api/errors.js';
import { RpcFault } from '../api/faults.js';
import type { XmlRpcValue } from '../api/types.js';
import { parseMethodCall, type MethodCall } from '../api/xmlrpc-parse.js';
import { serializeFault, serializeMethodResponseBody, type XmlBody } from '../api/xmlrpc-serialize.js';
import type { Logger } from '../logs/types.js';
import type { CallContext, RpcDispatcher } from '../rpc/types.js';
import { sendErrorPage } from './error-page.js';

export interface RpcRouteOptions {
  dispatcher: RpcDispatcher;
  logger: Logger;
  maxBodyBytes: number;
  /** The CallContext of the listener a request came through. */
  contextOf(req: IncomingMessage): CallContext;
}

const RPC_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];
const LOGGED_BODY_CHARS = 1000;

function quoteBody(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, LOGGED_BODY_CHARS));
  return JSON.stringify(body.length > LOGGED_BODY_CHARS ? `${text}…` : text);
}

function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function sendXml(reply: FastifyReply, body: XmlBody): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': body.byteLength });
  if (body.chunks.length === 1) {
    res.end(body.chunks[0]);
    return;
  }
  res.cork();
  for (const chunk of body.chunks) res.write(chunk);
  res.end();
  res.uncork();
}

/**
 * Methods that return the very same object while nothing changed (see
 * rpc/info.ts, getAllProcessInfo) get their XML built once and sent as one
 * buffer: the answer a monitoring loop asks for again and again costs a write.
 */
const bodyCache = new WeakMap<object, XmlBody>();

function serializeCached(value: XmlRpcValue): XmlBody {
  if (typeof value !== 'object' || value === null) return serializeMethodResponseBody(value);
  let body = bodyCache.get(value);
  if (!body) {
    const fresh = serializeMethodResponseBody(value);
    body = { chunks: [Buffer.concat(fresh.chunks, fresh.byteLength)], byteLength: fresh.byteLength };
    bodyCache.set(value, body);
  }
  return body;
}

export function registerRpcRoutes(app: FastifyInstance, options: RpcRouteOptions): void {
  const { dispatcher, logger, maxBodyBytes } = options;

  function parse(request: FastifyRequest, reply: FastifyReply): MethodCall | undefined {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    try {
      return parseMethodCall(body, { maxBytes: maxBodyBytes });
    } catch (err) {
      if (err instanceof FleetvisorError && err.code === 'FV_XMLRPC_UNSUPPORTED') {
        logger.error(`XML-RPC request data ${quoteBody(body)} is invalid: ${err.message}`);
        sendErrorPage(reply, 500);
      } else {
        const reason = err instanceof FleetvisorError ? err.message : describeError(err);
        logger.error(`XML-RPC request data ${quoteBody(body)} is invalid: unmarshallable (${reason})`);
        sendErrorPage(reply, 400);
      }
      return undefined;
    }
  }

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const call = parse(request, reply);
    if (call === undefined) return;
    const { methodName, params } = call;
    logger.trace(`XML-RPC method called: ${methodName}()`);
    let value: XmlRpcValue;
    try {
      value = await dispatcher.call(methodName, params, options.contextOf(request.raw));
    } catch (err) {
      if (err instanceof RpcFault) {
        logger.trace(`XML-RPC method ${methodName}() returned fault: [${err.faultCode}] ${err.faultString}`);
        reply.header('content-type', 'text/xml').send(serializeFault(err.faultCode, err.faultString));
        return;
      }
      logger.error(`XML-RPC method ${methodName}() raised an unexpected error: ${describeError(err)}`);
      sendErrorPage(reply, 500);
      return;
    }
    let body: XmlBody;
    try {
      body = serializeCached(value);
    } catch (err) {
      logger.error(`XML-RPC method ${methodName}() returned an unmarshallable value: ${describeError(err)}`);
      sendErrorPage(reply, 500);
      return;
    }
    logger.trace(`XML-RPC method ${methodName}() returned successfully`);
    sendXml(reply, body);
  }

  app.register(async (scope) => {
    // supervisord reads any body as XML whatever its Content-Type says.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_req, body, done) => {
      done(null, body);
    });
    for (const url of ['/RPC2', '/RPC2*']) {
      scope.route({
        method: RPC_METHODS,
        url,
        exposeHeadRoute: false,
        onRequest: async (request, reply) => {
          if (request.method !== 'POST') return sendErrorPage(reply, 400);
          if (request.headers['content-length'] === undefined) return sendErrorPage(reply, 411);
          // An unparsable Content-Type would make fastify answer 415 before our parser runs.
          delete request.raw.headers['content-type'];
        },
        handler: handle,
      });
    }
  });
}
