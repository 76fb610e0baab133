import type { Supervisor } from '../supervisor/supervisor.js';
import { registerControlMethods } from './control.js';
import { registerInfoMethods } from './info.js';
import { registerLifecycleMethods } from './lifecycle.js';
import { registerLogMethods, type MainLogAccess } from './logs.js';
import { MethodRegistry } from './registry.js';
import { registerSystemNamespace } from './system-namespace.js';

export { MethodRegistry } from './registry.js';
export type { MainLogAccess } from './logs.js';

/** The supervisor.* namespace (what [rpcinterface:supervisor] publishes). */
export function registerSupervisorNamespace(registry: MethodRegistry, sup: Supervisor, mainLog: MainLogAccess): void {
  registerInfoMethods(registry, sup);
  registerControlMethods(registry, sup);
  registerLogMethods(registry, sup, mainLog);
  registerLifecycleMethods(registry, sup);
}

export function createRegistry(): MethodRegistry {
  const registry = new MethodRegistry();
  registerSystemNamespace(registry);
  return registry;
}
