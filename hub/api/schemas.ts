/**
 * JSON schemas shared by the routes: the shapes of the API's answers
 * (agents, processes, events, operations) and the error body. Fastify
 * validates requests and serialises answers with them, and openapi.ts
 * publishes them; a field missing here is dropped from the answer.
 */

export type JsonSchema = Record<string, unknown>;

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;

export function object(properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

export function arrayOf(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

/** A query parameter that may repeat (`host=a&host=b`); one value arrives as a one-item list. */
export const repeatable = arrayOf(str);

export const errorSchema = object({ error: object({ code: str, message: str }, ['code', 'message']) }, ['error']);

/** The answers every route may give besides its own. */
export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

export const healthSchema = object(
  {
    state: { type: 'string', enum: ['unknown', 'online', 'offline', 'auth_failed', 'incompatible'] },
    kind: { type: 'string', enum: ['fleetvisord', 'supervisord', 'unknown'] },
    version: str,
    lastContact: num,
    latencyMs: num,
    error: str,
    boot: str,
  },
  ['state', 'kind'],
);

export const agentSchema = object(
  {
    name: str,
    url: str,
    tags: arrayOf(str),
    source: { type: 'string', enum: ['config', 'api'] },
    hasCredentials: bool,
    health: healthSchema,
  },
  ['name', 'url', 'tags', 'source', 'hasCredentials', 'health'],
);

export const processSchema = object(
  {
    agent: str,
    group: str,
    name: str,
    namespec: str,
    state: str,
    statecode: int,
    pid: int,
    description: str,
    start: num,
    stop: num,
    exitstatus: int,
    spawnerr: str,
    updated: num,
  },
  ['agent', 'group', 'name', 'namespec', 'state', 'statecode', 'pid'],
);

export const hubEventSchema = object(
  {
    id: int,
    agent: str,
    boot: str,
    serial: { type: ['integer', 'null'] },
    time: num,
    type: str,
    group: str,
    process: str,
    fromState: str,
    toState: str,
    pid: int,
    expected: bool,
    exitStatus: int,
    spawnErr: str,
    observed: bool,
    payload: str,
    crashStdout: str,
    crashStderr: str,
  },
  ['agent', 'boot', 'serial', 'time', 'type', 'observed'],
);

export const eventPageSchema = object({ events: arrayOf(hubEventSchema), next: str }, ['events']);

export const operationTargetSchema = object({ agent: str, namespec: str }, ['agent', 'namespec']);

export const operationSchema = object(
  {
    id: int,
    user: str,
    started: num,
    finished: num,
    action: str,
    mode: str,
    selectors: arrayOf(str),
    status: { type: 'string', enum: ['running', 'succeeded', 'failed', 'partial', 'cancelled'] },
  },
  ['id', 'user', 'started', 'action', 'mode', 'status'],
);

export const operationResultSchema = object(
  { agent: str, process: str, result: { type: 'string', enum: ['ok', 'failed', 'skipped'] }, message: str, time: num },
  ['agent', 'result', 'message', 'time'],
);

export const roleSchema = { type: 'string', enum: ['viewer', 'operator', 'admin'] } as const;

export const userSchema = object(
  { name: str, role: roleSchema, created: num },
  ['name', 'role'],
);

export const tokenSchema = object({ id: str, user: str, name: str, created: num, lastUsed: num }, ['id', 'user', 'name', 'created']);

/** A route that answers with server-sent events; documented, never serialised. */
export const eventStreamResponse = { 200: { description: 'text/event-stream', type: 'string' } } as const;

export const emptyResponse = { 204: { description: 'done, no body', type: 'null' } } as const;
