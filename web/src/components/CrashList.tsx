/** Crashes (unexpected exits and FATAL) with the last log lines the hub saved at the time. */
import { get, query } from '../api.js';
import { timeText } from '../format.js';
import { useLoad } from '../hooks.js';
import type { HubEvent } from '../types.js';
import { StateBadge } from './StateBadge.js';
import { makeNamespec } from '../../../node-agent/api/namespec.js';

function eventsOf(answer: HubEvent[] | { events?: HubEvent[]; crashes?: HubEvent[] }): HubEvent[] {
  return Array.isArray(answer) ? answer : (answer.events ?? answer.crashes ?? []);
}

export function CrashList({ host, process }: { host: string; process: string }) {
  const loaded = useLoad(() => get<HubEvent[] | { events?: HubEvent[] }>(`/crashes${query({ host, process, limit: 50 })}`).then(eventsOf), []);
  if (loaded.error !== '') return <p class="error" role="alert">{loaded.error}</p>;
  if (loaded.data === undefined) return <p class="empty">Loading…</p>;
  if (loaded.data.length === 0) return <p class="empty">No crash recorded.</p>;
  return (
    <div class="crashes">
      {loaded.data.map((crash) => (
        <details class="crash" key={crash.id ?? `${crash.agent}-${crash.time}`}>
          <summary>
            <span class="nowrap">{timeText(crash.time)}</span> <b>{crash.agent}</b> {makeNamespec(crash.group ?? crash.process ?? "", crash.process ?? "")}{' '}
            <StateBadge state={crash.toState ?? 'EXITED'} />
            {crash.exitStatus !== undefined && <span class="muted"> exit {crash.exitStatus}</span>}
          </summary>
          <h4>stdout</h4>
          <pre class="log">{crash.crashStdout || '(nothing saved)'}</pre>
          <h4>stderr</h4>
          <pre class="log">{crash.crashStderr || '(nothing saved)'}</pre>
        </details>
      ))}
    </div>
  );
}
