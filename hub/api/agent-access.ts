/** Reaching one agent from a route: its connector, and names as agents write them. */
import type { AgentConnector } from '../fleet/connector.js';
import type { ApiContext } from './context.js';
import { splitNamespec } from '../../node-agent/api/namespec.js';
import { ApiError } from './errors.js';

export function agentConnector(ctx: ApiContext, agent: string): AgentConnector {
  const connector = ctx.fleet.get(agent);
  if (connector === undefined) throw new ApiError('FV_API_NOT_FOUND', `no agent ${agent}`);
  return connector;
}

/** One process from a path's namespec: `group:name`, or `name` (the same as `name:name`). */
export function processOf(namespec: string): { group: string; name: string } {
  const { group, process } = splitNamespec(namespec);
  if (group === '') throw new ApiError('FV_API_BAD_REQUEST', `'${namespec}' is not group:name or name`);
  if (process === undefined) throw new ApiError('FV_API_BAD_REQUEST', `'${namespec}' names a whole group: name one process (group:name)`);
  return { group, name: process };
}
