import { RpcFault } from '../api/faults.js';
import type { XmlRpcValue } from '../api/types.js';
import type { CallContext, RpcDispatcher } from './types.js';

export type WireType = 'string' | 'int' | 'boolean' | 'array' | 'struct' | 'double';

export type Handler = (args: XmlRpcValue[], ctx: CallContext) => XmlRpcValue | Promise<XmlRpcValue>;

export interface MethodSpec {
  /** Full dotted name, e.g. `supervisor.getState`. */
  name: string;
  /** methodSignature: [return type, ...param types]. */
  signature: [WireType, ...WireType[]];
  /** Parameters that may be left out (trailing ones, e.g. `wait`). */
  optional?: number;
  help: string;
  handler: Handler;
}

/**
 * The methods a daemon publishes, by full name. Checks what supervisord's
 * dispatcher checks (exactly `namespace.method`, no leading underscore, arity)
 * and hands the rest to the method.
 */
export class MethodRegistry implements RpcDispatcher {
  readonly #methods = new Map<string, MethodSpec>();

  register(spec: MethodSpec): void {
    if (this.#methods.has(spec.name)) throw new Error(`RPC method ${spec.name} registered twice`);
    this.#methods.set(spec.name, spec);
  }

  /** Register `alias` as another name for an existing method (supervisord's b/c aliases). */
  alias(alias: string, target: string): void {
    const spec = this.#methods.get(target);
    if (!spec) throw new Error(`RPC alias target ${target} is not registered`);
    this.register({ ...spec, name: alias });
  }

  get(name: string): MethodSpec | undefined {
    return this.#methods.get(name);
  }

  names(): string[] {
    return [...this.#methods.keys()].sort();
  }

  async call(method: string, params: XmlRpcValue[], ctx: CallContext): Promise<XmlRpcValue> {
    const spec = this.resolve(method);
    const max = spec.signature.length - 1;
    const min = max - (spec.optional ?? 0);
    if (params.length < min || params.length > max) throw new RpcFault('INCORRECT_PARAMETERS');
    return spec.handler(params, ctx);
  }

  resolve(method: string): MethodSpec {
    const parts = method.split('.');
    if (parts.length !== 2 || parts[1].startsWith('_')) throw new RpcFault('UNKNOWN_METHOD');
    const spec = this.#methods.get(method);
    if (!spec) throw new RpcFault('UNKNOWN_METHOD');
    return spec;
  }
}

/** Argument coercions with supervisord's leniency: Python would accept these, so do we. */
export const arg = {
  string(value: XmlRpcValue | undefined): string {
    if (typeof value === 'string') return value;
    throw new RpcFault('INCORRECT_PARAMETERS');
  },
  int(value: XmlRpcValue | undefined): number {
    if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
    throw new RpcFault('INCORRECT_PARAMETERS');
  },
  /** Python truthiness, as supervisord applies to `wait`. */
  flag(value: XmlRpcValue | undefined, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string') return value.length > 0;
    if (Array.isArray(value)) return value.length > 0;
    return true;
  },
};
