/**
 * The hosts the hub follows with their health: online/offline, latency,
 * version and process counts by state. Folded behind a summary line when the
 * fleet is large, so the process table stays in view.
 */
import { useState } from 'preact/hooks';
import { ageText } from '../format.js';
import type { Agent, Process } from '../types.js';
import { StateBadge, StateCounts } from './StateBadge.js';

interface Props {
  agents: Agent[];
  processes: Process[];
  onPickHost: (name: string) => void;
}

function openNow(chosen: boolean | undefined, hosts: number): boolean {
  return chosen ?? (hosts > 0 && hosts <= 12);
}

export function HostList({ agents, processes, onPickHost }: Props) {
  const [chosen, setOpen] = useState<boolean | undefined>(undefined);
  const countsByHost = new Map<string, Record<string, number>>();
  for (const process of openNow(chosen, agents.length) ? processes : []) {
    const counts = countsByHost.get(process.agent) ?? {};
    counts[process.state] = (counts[process.state] ?? 0) + 1;
    countsByHost.set(process.agent, counts);
  }
  const online = agents.filter((agent) => agent.health.state === 'online').length;
  // A folded list renders no cards: 100 of them would cost every live update for nothing.
  const open = openNow(chosen, agents.length);
  return (
    <details class="card hosts" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Hosts</h2>
        <span class="muted">
          {agents.length} hosts: <StateBadge state="online" count={online} />
          {agents.length - online > 0 && <StateBadge state="offline" count={agents.length - online} />}
        </span>
      </summary>
      {open && (
      <div class="host-grid">
        {agents.map((agent) => (
          <button type="button" class="host-card" key={agent.name} onClick={() => onPickHost(agent.name)} title={`Show only ${agent.name}`}>
            <span class="host-name">{agent.name}</span>
            <StateBadge state={agent.health.state} />
            <span class="host-meta">
              {agent.health.kind} {agent.health.version ?? ''}
              {agent.health.latencyMs !== undefined && ` · ${Math.round(agent.health.latencyMs)} ms`}
              {agent.health.state !== 'online' && agent.health.lastContact !== undefined && ` · seen ${ageText(agent.health.lastContact)} ago`}
            </span>
            {agent.health.error !== undefined && agent.health.state !== 'online' && <span class="host-error">{agent.health.error}</span>}
            {agent.tags.length > 0 && <span class="tags">{agent.tags.map((tag) => <span class="tag" key={tag}>{tag}</span>)}</span>}
            <StateCounts counts={countsByHost.get(agent.name) ?? {}} />
          </button>
        ))}
      </div>
      )}
    </details>
  );
}
