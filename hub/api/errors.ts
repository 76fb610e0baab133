/**
 * The hub API's errors: every answer that is not a success is
 * `{error: {code, message}}` with an HTTP status. Codes of the API itself are
 * listed here with their status; errors from the store, the operations and
 * the agents (FleetvisorError, RpcFault) are mapped onto statuses by code.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { FleetvisorError, type ErrorCode } from '../../node-agent/api/errors.js';
import { Faults, faultName } from '../../node-agent/api/faults.js';

export const ApiErrorCodes = {
  FV_API_UNAUTHORIZED: { status: 401, meaning: 'no credential, or an unknown, expired or revoked one' },
  FV_API_FORBIDDEN: { status: 403, meaning: "the user's role is too low for this route" },
  FV_API_CSRF: { status: 403, meaning: 'a cookie-authenticated request that changes state lacks the X-CSRF-Token header of the session' },
  FV_API_BAD_REQUEST: { status: 400, meaning: 'the request does not match the route schema or is otherwise unreadable' },
  FV_API_NOT_FOUND: { status: 404, meaning: 'no such route, agent, process, operation, user or token' },
  FV_API_CONFLICT: { status: 409, meaning: 'the request conflicts with the current state (read-only agent, last admin, operation already finished)' },
  FV_API_UNSUPPORTED: { status: 409, meaning: 'the agent cannot do this (a plain supervisord has no process statistics)' },
  FV_API_AGENT: { status: 502, meaning: 'the agent could not be reached or answered with a fault' },
  FV_API_BUSY: { status: 503, meaning: 'a limit of the hub is reached (live log streams)' },
  FV_API_INTERNAL: { status: 500, meaning: 'a bug in the hub' },
} as const;

export type ApiErrorCode = keyof typeof ApiErrorCodes;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;

  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.status = ApiErrorCodes[code].status;
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  FV_STORE_BAD_INPUT: 400,
  FV_STORE_CONFLICT: 409,
  FV_STORE_NOT_FOUND: 404,
  FV_CONFIG_BAD_VALUE: 400,
  FV_CONFIG_MISSING: 400,
  FV_OPS_BAD_REQUEST: 400,
  FV_OPS_BAD_SELECTOR: 400,
  FV_OPS_NO_MATCH: 400,
  FV_USAGE: 400,
  FV_RPC_TRANSPORT: 502,
  FV_AGENT_INCOMPATIBLE: 502,
  FV_XMLRPC_PARSE: 502,
};

/** The status and body for any error a route throws. */
export function toErrorReply(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) return reply(err.status, err.code, err.message);
  if (err instanceof FleetvisorError) return reply(STATUS_OF_CODE[err.code] ?? 500, err.code, err.message);
  const e = err as Partial<FastifyError> & { name?: string; faultCode?: number; faultString?: string };
  if (e?.name === 'RpcFault') {
    const name = faultName(e.faultCode ?? 0) ?? `FAULT_${e.faultCode}`;
    const status = e.faultCode === Faults.BAD_NAME || e.faultCode === Faults.NO_FILE ? 404 : 502;
    return reply(status, `FV_AGENT_${name}`, `the agent answered: ${e.faultString}`);
  }
  if (e?.validation !== undefined) return reply(400, 'FV_API_BAD_REQUEST', e.message ?? 'bad request');
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // fastify's own refusals: unreadable JSON, body too large, wrong content type.
    return reply(e.statusCode, e.statusCode === 404 ? 'FV_API_NOT_FOUND' : 'FV_API_BAD_REQUEST', e.message ?? 'bad request');
  }
  return reply(500, 'FV_API_INTERNAL', `internal error: ${(err as Error)?.message ?? String(err)}`);
}

function reply(status: number, code: string, message: string): { status: number; body: ErrorBody } {
  return { status, body: { error: { code, message } } };
}

/** Every error and every unknown route answer `{error: {code, message}}`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, res) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    return res.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, res) => {
    return res.code(404).send({ error: { code: 'FV_API_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
