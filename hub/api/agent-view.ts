/** An agent as the API shows it (GET /api/v1/agents and the live feed's `agent` message): no credentials. */
import type { AgentHealth, AgentSpec } from '../types.js';
import type { AgentView } from './dto.js';
import { redactUrl } from '../redact.js';

export function agentView(spec: AgentSpec, health: AgentHealth | undefined): AgentView {
  const { agent: _agent, ...rest } = health ?? { agent: spec.name, state: 'unknown' as const, kind: 'unknown' as const };
  return { name: spec.name, url: redactUrl(spec.url), tags: [...spec.tags], source: spec.source, hasCredentials: spec.username !== undefined, health: rest };
}
