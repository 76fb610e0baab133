import type { FastifyRequest } from 'fastify';
import type { ProcessStateName } from '../../api/states.js';
import type { ProcessInfo } from '../../api/types.js';
import type { Logger } from '../../logs/types.js';
import type { CallContext, RpcDispatcher } from '../../rpc/types.js';

/** What the web pages read from a process: the real Subprocess fits this shape. */
export interface WebProcess {
  readonly state: ProcessStateName;
  info(now?: number): ProcessInfo;
}

/** A capture log as far as the pages need it: where its file is. */
export interface WebLogFile {
  readonly path: string;
}

/**
 * The part of the Supervisor model the web pages read; the real Supervisor
 * fits this shape. Every change goes through the RPC dispatcher instead.
 */
export interface WebSupervisor {
  /** Every process as [group, process], sorted by group name then process name. */
  allByName(): Array<[{ readonly name: string }, WebProcess]>;
  lookup(spec: string): { process?: WebProcess };
  logsOf(proc: WebProcess): { stdout?: WebLogFile; stderr?: WebLogFile };
}

export interface WebDeps {
  supervisor: WebSupervisor;
  /** The same dispatcher /RPC2 uses, so the page's faults are the RPC faults. */
  dispatcher: RpcDispatcher;
  /** Path of supervisord.log; undefined when the main log is not a file (e.g. syslog). */
  mainLogPath: () => string | undefined;
  logger: Logger;
  /** How a web request presents itself to RPC methods; default `{ server: 'web' }`. */
  callContext?: (request: FastifyRequest) => CallContext;
}

/** Handle returned by registerWebRoutes. */
export interface WebRoutes {
  /** Log tails (/logtail, /mainlogtail) currently following a file. */
  activeTails(): number;
  /** End every open log tail (the daemon is closing its servers). */
  closeTails(): void;
}
