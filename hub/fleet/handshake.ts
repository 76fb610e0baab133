/**
 * What is at the other end: a fleetvisord (subscribe to its event ring) or a
 * plain supervisord (poll it), and whether it speaks supervisord's API at all.
 */
import { Faults } from '../../node-agent/api/faults.js';
import { API_VERSION } from '../../node-agent/api/types.js';
import { incompatible } from './normalize.js';
import type { AgentCall } from './session.js';

export interface AgentFacts {
  kind: 'fleetvisord' | 'supervisord';
  version: string;
  /** fleetvisord's ring boot id; for a supervisord `pid:<daemon pid>`, which changes when it restarts. */
  boot: string;
}

export async function handshake(call: AgentCall): Promise<AgentFacts> {
  let methods: string[] = [];
  try {
    const listed = await call('system.listMethods');
    if (Array.isArray(listed)) methods = listed.filter((name): name is string => typeof name === 'string');
  } catch (err) {
    if (!isUnknownMethod(err)) throw err;
  }
  // UNKNOWN_METHOD here makes the agent incompatible (classifyFailure).
  await call('supervisor.getState');
  const apiVersion = await call('supervisor.getAPIVersion');
  if (apiVersion !== API_VERSION) throw incompatible(`supervisor.getAPIVersion is '${String(apiVersion)}', the hub speaks ${API_VERSION}`);
  if (methods.includes('fleetvisor.getEvents')) {
    const info = await call<Record<string, unknown>>('fleetvisor.getHostInfo');
    const version = typeof info?.agent_version === 'string' ? info.agent_version : 'unknown';
    const boot = typeof info?.boot === 'string' ? info.boot : '';
    return { kind: 'fleetvisord', version, boot };
  }
  const version = await call('supervisor.getSupervisorVersion');
  const pid = await call('supervisor.getPID');
  return { kind: 'supervisord', version: String(version), boot: `pid:${String(pid)}` };
}

export function isUnknownMethod(err: unknown): boolean {
  const fault = err as { name?: unknown; faultCode?: unknown } | undefined;
  return fault?.name === 'RpcFault' && fault.faultCode === Faults.UNKNOWN_METHOD;
}
