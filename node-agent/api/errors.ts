/**
 * The error catalogue shared by agent, hub and CLI. Every error carries a
 * stable code; callers branch on `err.code`, never on the message text.
 */
export const ErrorCodes = {
  FV_CONFIG_NOT_FOUND: 'no config file found or readable',
  FV_CONFIG_SYNTAX: 'the config file cannot be parsed',
  FV_CONFIG_BAD_VALUE: 'an option has a value of the wrong type or out of range',
  FV_CONFIG_MISSING: 'a required section or option is missing',
  FV_CONFIG_UNSUPPORTED: 'a section or factory that fleetvisord cannot honour',
  FV_USAGE: 'bad command-line usage',
  FV_BIND: 'an HTTP server could not listen',
  FV_RPC_TRANSPORT: 'an XML-RPC call failed below the protocol (connection, HTTP status, timeout)',
  FV_XMLRPC_PARSE: 'a body is not well-formed XML-RPC (bad XML, unknown element, bad value, too large or too deep)',
  FV_XMLRPC_UNSUPPORTED: 'a well-formed XML-RPC body uses something fleetvisord refuses, such as <nil/> in a request',
  FV_LOG_OPEN: 'a log file could not be created, opened, removed or rotated',
  FV_STORE_SCHEMA: 'the hub database was written by a newer fleetvisor-hub, or a migration failed',
  FV_STORE_BAD_INPUT: 'a hub store call got an unreadable value: query filter, time spec, page cursor or event',
  FV_STORE_CONFLICT: 'a hub store record already exists or is read-only (agent from hub.ini, duplicate user)',
  FV_STORE_NOT_FOUND: 'a hub store record (agent, user, token, operation) does not exist',
  FV_AGENT_INCOMPATIBLE: 'an agent answers, but not as a supervisord 4.x-compatible XML-RPC server (unknown methods, another API version, not XML-RPC)',
  FV_OPS_BAD_SELECTOR: 'an operation selector (HOSTGLOB/NAMESPEC, @tag/NAMESPEC or NAMESPEC) cannot be parsed',
  FV_OPS_NO_MATCH: 'an operation selector matches no agent or no process',
  FV_OPS_BAD_REQUEST: 'an operation request has a missing or invalid option (action, mode, batch, signal, health URL …)',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class FleetvisorError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FleetvisorError';
    this.code = code;
  }
}
