/**
 * [rpcinterface:NAME] sections: the stock supervisor factory publishes the
 * supervisor.* API, the built-in fleetvisor factory the fleetvisor.* API, and a
 * JavaScript module's export adds NAME.* methods of its own. The fleetvisor
 * namespace is there by default, as if the config had its section.
 */
import { pathToFileURL } from 'node:url';
import { FleetvisorError } from '../api/errors.js';
import { RpcFault } from '../api/faults.js';
import type { XmlRpcValue } from '../api/types.js';
import type { RpcInterfaceConfig } from '../config/types.js';
import type { Logger } from '../logs/types.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { MethodRegistry, WireType } from './registry.js';

export const STOCK_FACTORY = 'supervisor.rpcinterface:make_main_rpcinterface';
export const FLEETVISOR_FACTORY = 'fleetvisor:make_fleetvisor_rpcinterface';

/** What a JavaScript rpcinterface factory receives. */
export interface RpcPluginContext {
  /** NAME of [rpcinterface:NAME]; methods are published as NAME.method. */
  namespace: string;
  /** The section's other keys. */
  options: Readonly<Record<string, string>>;
  supervisor: Supervisor;
  logger: Logger;
  /** Publish NAME.<spec.name>. Throw `new ctx.RpcFault('BAD_ARGUMENTS', detail)` for a fault. */
  method(spec: {
    name: string;
    signature: [WireType, ...WireType[]];
    optional?: number;
    help: string;
    handler(...args: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue>;
  }): void;
  RpcFault: typeof RpcFault;
}

export type RpcPluginFactory = (ctx: RpcPluginContext) => void | Promise<void>;

export interface BuiltinInterfaces {
  supervisor(): void;
  fleetvisor(): void;
}

export async function registerRpcInterfaces(
  registry: MethodRegistry,
  interfaces: readonly RpcInterfaceConfig[],
  deps: { supervisor: Supervisor; logger: Logger; builtins: BuiltinInterfaces },
): Promise<void> {
  let fleetvisorDone = false;
  for (const iface of interfaces) {
    if (iface.factory === STOCK_FACTORY) deps.builtins.supervisor();
    else if (iface.factory === FLEETVISOR_FACTORY) {
      if (!fleetvisorDone) deps.builtins.fleetvisor();
      fleetvisorDone = true;
    } else if (iface.module) await loadModule(registry, iface, iface.module, deps);
    deps.logger.info(`RPC interface '${iface.name}' initialized`);
  }
  if (!fleetvisorDone) deps.builtins.fleetvisor();
}

async function loadModule(
  registry: MethodRegistry,
  iface: RpcInterfaceConfig,
  module: { path: string; exportName: string },
  deps: { supervisor: Supervisor; logger: Logger },
): Promise<void> {
  const where = `[rpcinterface:${iface.name}]`;
  let factory: unknown;
  try {
    const loaded = (await import(pathToFileURL(module.path).href)) as Record<string, unknown>;
    factory = loaded[module.exportName];
  } catch (err) {
    throw new FleetvisorError('FV_CONFIG_BAD_VALUE', `${iface.factory} cannot be imported within ${where}: ${String(err)}`);
  }
  if (typeof factory !== 'function') {
    throw new FleetvisorError('FV_CONFIG_BAD_VALUE', `${iface.factory} is not a function within ${where}`);
  }
  await (factory as RpcPluginFactory)({
    namespace: iface.name,
    options: iface.options,
    supervisor: deps.supervisor,
    logger: deps.logger,
    RpcFault,
    method: (spec) =>
      registry.register({
        name: `${iface.name}.${spec.name}`,
        signature: spec.signature,
        optional: spec.optional,
        help: spec.help,
        handler: (args) => spec.handler(...args),
      }),
  });
}
