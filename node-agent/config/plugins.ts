/**
 * Python plugin specs (`module:attr`) named in the config. fleetvisord can
 * only honour supervisor's stock ones; anything else fails with supervisord's
 * "cannot be resolved" wording (compat spec §9.12).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FleetvisorError } from '../api/errors.js';
import { missing, type ConfigSource } from './source.js';
import type { RpcInterfaceConfig } from './types.js';

export const RPCINTERFACE_FACTORY_KEY = 'supervisor.rpcinterface_factory';
export const STOCK_RPCINTERFACE_FACTORY = 'supervisor.rpcinterface:make_main_rpcinterface';
export const FLEETVISOR_RPCINTERFACE_FACTORY = 'fleetvisor:make_fleetvisor_rpcinterface';

/** `path/to/module.js:exportName` (.js, .mjs or .cjs; relative paths are relative to the main config's directory). */
const JS_FACTORY = /^\s*(.+\.(?:m|c)?js)\s*:\s*([A-Za-z_$][\w$]*)\s*$/u;
export const STOCK_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';
export const CTL_FACTORY_KEY = 'supervisor.ctl_factory';

// The shape pkg_resources accepts after "x=": module[:attr] [extras].
const ENTRY_POINT = /^\s*([\w.]+)\s*(?::\s*([\w.]+))?\s*(?:\[.*\])?\s*$/su;

/** The canonical `module:attr` of a spec, or undefined when it does not parse. */
export function canonicalSpec(spec: string): string | undefined {
  const m = ENTRY_POINT.exec(spec);
  if (!m) return undefined;
  return m[2] === undefined ? m[1] : `${m[1]}:${m[2]}`;
}

/** Resolve a spec that must be one of `known`, or throw supervisord's message for an unimportable one. */
export function resolveSpec(spec: string, section: string, known: readonly string[]): string {
  const canonical = canonicalSpec(spec);
  if (canonical !== undefined && known.includes(canonical)) return canonical;
  throw new FleetvisorError('FV_CONFIG_UNSUPPORTED', `${spec} cannot be resolved within [${section}]`);
}

export function readRpcInterfaces(src: ConfigSource): RpcInterfaceConfig[] {
  return src.parser
    .sections()
    .filter((s) => s.startsWith('rpcinterface:'))
    .map((section) => {
      const name = section.slice(section.indexOf(':') + 1);
      const spec = src.get(section, RPCINTERFACE_FACTORY_KEY, undefined);
      if (spec === undefined) {
        throw missing(`section [${section}] does not specify a ${RPCINTERFACE_FACTORY_KEY}`);
      }
      const options: Record<string, string> = {};
      for (const key of src.parser.options(section)) {
        if (key !== RPCINTERFACE_FACTORY_KEY) options[key] = src.get(section, key, '');
      }
      const js = JS_FACTORY.exec(spec);
      if (js) {
        const path = resolve(src.here, js[1]);
        if (!existsSync(path)) {
          throw new FleetvisorError('FV_CONFIG_BAD_VALUE', `${spec} cannot be resolved within [${section}]: no such file ${path}`);
        }
        return { name, factory: `${path}:${js[2]}`, module: { path, exportName: js[2] }, options };
      }
      const factory = resolveSpec(spec, section, [STOCK_RPCINTERFACE_FACTORY, FLEETVISOR_RPCINTERFACE_FACTORY]);
      return { name, factory, options };
    });
}
