import { RpcFault } from '../api/faults.js';
import type { XmlRpcValue } from '../api/types.js';
import { arg, type MethodRegistry } from './registry.js';

/** system.* — introspection and multicall, over whatever the registry holds. */
export function registerSystemNamespace(registry: MethodRegistry): void {
  registry.register({
    name: 'system.listMethods',
    signature: ['array'],
    help: 'Return an array listing the names of every method this server offers.\n\n@return array result  An array of method names',
    handler: () => registry.names(),
  });

  registry.register({
    name: 'system.methodHelp',
    signature: ['string', 'string'],
    help: 'Return the documentation of the named method.\n\n@param string name  The name of a method\n@return string result  Its help text',
    handler: ([name]) => {
      const spec = registry.get(arg.string(name));
      if (!spec) throw new RpcFault('SIGNATURE_UNSUPPORTED');
      return spec.help;
    },
  });

  registry.register({
    name: 'system.methodSignature',
    signature: ['array', 'string'],
    help: 'Return the signature of the named method: its return type followed by its parameter types.\n\n@param string name  The name of a method\n@return array result  Type names',
    handler: ([name]) => {
      const spec = registry.get(arg.string(name));
      if (!spec) throw new RpcFault('SIGNATURE_UNSUPPORTED');
      return [...spec.signature];
    },
  });

  registry.register({
    name: 'system.multicall',
    signature: ['array', 'array'],
    help:
      'Run several calls in one request, in order. Each entry of the result is the bare value of a call, ' +
      'or a struct {faultCode, faultString} when it failed.\n\n' +
      '@param array calls  Structs {methodName: string, params: array}\n@return array result  One entry per call',
    handler: async ([calls], ctx) => {
      if (!Array.isArray(calls)) throw new RpcFault('INCORRECT_PARAMETERS');
      const results: XmlRpcValue[] = [];
      for (const call of calls) {
        results.push(await runOne(registry, call, ctx));
      }
      return results;
    },
  });
}

async function runOne(
  registry: MethodRegistry,
  call: XmlRpcValue,
  ctx: Parameters<MethodRegistry['call']>[2],
): Promise<XmlRpcValue> {
  try {
    const struct = isStruct(call) ? call : {};
    const name = struct.methodName;
    if (name === undefined) throw new RpcFault('INCORRECT_PARAMETERS', 'No methodName');
    if (name === 'system.multicall') throw new RpcFault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
    const params = struct.params ?? [];
    return await registry.call(String(name), Array.isArray(params) ? params : [params], ctx);
  } catch (err) {
    if (err instanceof RpcFault) return { faultCode: err.faultCode, faultString: err.faultString };
    const e = err instanceof Error ? err : new Error(String(err));
    return { faultCode: 30, faultString: `FAILED: ${e.name}:${e.message}` };
  }
}

function isStruct(value: XmlRpcValue): value is { [key: string]: XmlRpcValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}
