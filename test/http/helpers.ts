/** Shared helpers for the HTTP and XML-RPC tests: a test dispatcher, a recording logger, raw sockets. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RpcFault, type FaultName } from '../../node-agent/api/faults.js';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import type { Logger, MainLogLevel } from '../../node-agent/logs/types.js';
import type { CallContext, RpcDispatcher } from '../../node-agent/rpc/types.js';
import { exchange, type Endpoint } from '../helpers/raw-http.js';

export interface RecordingLogger extends Logger {
  lines: { level: MainLogLevel; msg: string }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: { level: MainLogLevel; msg: string }[] = [];
  const at = (level: MainLogLevel) => (msg: string) => void lines.push({ level, msg });
  return {
    lines,
    critical: at('CRIT'),
    error: at('ERRO'),
    warn: at('WARN'),
    info: at('INFO'),
    debug: at('DEBG'),
    trace: at('TRAC'),
    blather: at('BLAT'),
    isEnabled: () => true,
  };
}

function typeName(value: XmlRpcValue): string {
  if (Buffer.isBuffer(value)) return 'base64';
  if (value instanceof Date) return 'dateTime';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return typeof value === 'object' ? 'struct' : typeof value;
}

/**
 * echo(...) → its params; sum(a, b); types(...) → the JS type of each param;
 * fault(name, detail?) → that RpcFault; context() → ctx.server; boom() → a plain Error;
 * nil() → a value with undefined inside (a programming error).
 */
export const testDispatcher: RpcDispatcher = {
  async call(method: string, params: XmlRpcValue[], ctx: CallContext): Promise<XmlRpcValue> {
    switch (method) {
      case 'echo':
        return params;
      case 'sum':
        if (params.length !== 2 || typeof params[0] !== 'number' || typeof params[1] !== 'number') {
          throw new RpcFault('INCORRECT_PARAMETERS');
        }
        return params[0] + params[1];
      case 'types':
        return params.map(typeName);
      case 'fault':
        throw new RpcFault(params[0] as FaultName, params[1] as string | undefined);
      case 'context':
        return ctx.server;
      case 'boom':
        throw new Error('boom');
      case 'nil':
        return { ok: undefined } as unknown as XmlRpcValue;
      default:
        throw new RpcFault('UNKNOWN_METHOD');
    }
  },
};

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fv-http-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type { Endpoint } from '../helpers/raw-http.js';

/** Sends `data` on a new connection and collects the answer (see test/helpers/raw-http.ts). */
export function rawExchange(endpoint: Endpoint, data: string | Buffer, idleMs = 300): Promise<string> {
  return exchange(endpoint, data, idleMs);
}

export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
}

export function rpcCallBody(method: string, paramsXml = ''): string {
  return `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${paramsXml}</params></methodCall>`;
}

export function postRaw(path: string, body: string, extraHeaders = ''): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extraHeaders}\r\n${body}`
  );
}

export const PYTHON = '/usr/bin/python3';

/**
 * Runs a Python snippet (asynchronously: the server under test lives in this
 * process); argv[1] is `arg`. Returns the JSON the snippet prints.
 */
export function runPython(script: string, arg: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', script, arg], { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}
