/**
 * Stand-ins for unit tests of the web interface only: a FakeSupervisor holding
 * canned process infos, and a FakeDispatcher that records RPC calls and
 * answers from a script. End-to-end tests use the real daemon.
 */
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { ProcessState, type ProcessStateName } from '../../node-agent/api/states.js';
import type { ProcessInfo, XmlRpcValue } from '../../node-agent/api/types.js';
import { memoryLogger, type MemoryLogger } from '../../node-agent/logs/memory-logger.js';
import type { CallContext, RpcDispatcher } from '../../node-agent/rpc/types.js';
import type { Supervisor } from '../../node-agent/supervisor/supervisor.js';
import { registerWebRoutes, type WebProcess, type WebRoutes, type WebSupervisor } from '../../node-agent/http/web/index.js';

// Type-level check: the real model fits what the web routes expect of it.
export type RealSupervisorFits = Supervisor extends WebSupervisor ? true : never;
const realSupervisorFits: RealSupervisorFits = true;
void realSupervisorFits;

export interface FakeProcessSpec {
  group: string;
  name: string;
  state: ProcessStateName;
  description?: string;
  stdout?: string;
  stderr?: string;
}

export class FakeProcess implements WebProcess {
  constructor(readonly spec: FakeProcessSpec) {}

  get state(): ProcessStateName {
    return this.spec.state;
  }

  info(now = 0): ProcessInfo {
    return {
      name: this.spec.name,
      group: this.spec.group,
      start: 0,
      stop: 0,
      now,
      state: ProcessState[this.spec.state],
      statename: this.spec.state,
      spawnerr: '',
      exitstatus: 0,
      logfile: this.spec.stdout ?? '',
      stdout_logfile: this.spec.stdout ?? '',
      stderr_logfile: this.spec.stderr ?? '',
      pid: 0,
      description: this.spec.description ?? '',
    };
  }
}

export class FakeSupervisor implements WebSupervisor {
  readonly processes: FakeProcess[];

  constructor(specs: FakeProcessSpec[]) {
    this.processes = specs.map((s) => new FakeProcess(s));
  }

  /** Deliberately unsorted: the page must sort by itself. */
  allByName(): Array<[{ name: string }, FakeProcess]> {
    return this.processes.map((p) => [{ name: p.spec.group }, p]);
  }

  lookup(spec: string): { process?: FakeProcess } {
    const colon = spec.indexOf(':');
    const group = colon < 0 ? spec : spec.slice(0, colon);
    const name = colon < 0 ? spec : spec.slice(colon + 1);
    return { process: this.processes.find((p) => p.spec.group === group && p.spec.name === name) };
  }

  logsOf(proc: WebProcess): { stdout?: { path: string }; stderr?: { path: string } } {
    const spec = (proc as FakeProcess).spec;
    return {
      stdout: spec.stdout === undefined ? undefined : { path: spec.stdout },
      stderr: spec.stderr === undefined ? undefined : { path: spec.stderr },
    };
  }
}

export interface RecordedCall {
  method: string;
  params: XmlRpcValue[];
  ctx: CallContext;
}

type Answer = (params: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>;

export class FakeDispatcher implements RpcDispatcher {
  readonly calls: RecordedCall[] = [];
  readonly answers = new Map<string, Answer>();

  answer(method: string, fn: Answer): this {
    this.answers.set(method, fn);
    return this;
  }

  async call(method: string, params: XmlRpcValue[], ctx: CallContext): Promise<XmlRpcValue> {
    this.calls.push({ method, params, ctx });
    const fn = this.answers.get(method);
    return fn ? fn(params) : true;
  }
}

export interface WebApp {
  app: FastifyInstance;
  base: string;
  port: number;
  routes: WebRoutes;
  logger: MemoryLogger;
  close(): Promise<void>;
}

export async function startWebApp(
  supervisor: WebSupervisor,
  dispatcher: RpcDispatcher,
  mainLogPath: () => string | undefined = () => undefined,
): Promise<WebApp> {
  const app = Fastify();
  const logger = memoryLogger();
  const routes = registerWebRoutes(app, { supervisor, dispatcher, mainLogPath, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return {
    app,
    base: `http://127.0.0.1:${address.port}`,
    port: address.port,
    routes,
    logger,
    close: () => app.close(),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with full control of the headers (fetch forbids setting Host). */
export function request(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers, setHost: options.headers?.host === undefined },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
