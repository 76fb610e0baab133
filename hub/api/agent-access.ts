/** Reaching one agent from a route: its connector, and names as agents write them. */
import type { AgentConnector } from '../fleet/connector.js';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';

export function agentConnector(ctx: ApiContext, agent: string): AgentConnector {
  const connector = ctx.fleet.get(agent);
  if (connector === undefined) throw new ApiError('FV_API_NOT_FOUND', `no agent ${agent}`);
  return connector;
}

/** `group:name`, or `name` for the program of the same name. */
export function splitNamespec(namespec: string): { group: string; name: string } {
  const colon = namespec.indexOf(':');
  if (colon < 0) return { group: namespec, name: namespec };
  const group = namespec.slice(0, colon);
  const name = namespec.slice(colon + 1);
  if (group === '' || name === '') throw new ApiError('FV_API_BAD_REQUEST', `'${namespec}' is not group:name or name`);
  return { group, name };
}
