/**
 * States over time as coloured bands, one line per process: each band runs
 * from a state change to the next (or to the end of the window). Every band
 * carries its state as text too (title and the accessible label).
 */
import { timeText } from '../format.js';
import type { HubEvent } from '../types.js';
import { makeNamespec } from '../../../node-agent/api/namespec.js';

interface Band {
  state: string;
  from: number;
  to: number;
}

export interface TimelineSeries {
  key: string;
  label: string;
  bands: Band[];
}

/** Groups ascending PROCESS_STATE events by process into bands within [from, to]. */
export function seriesOf(events: readonly HubEvent[], from: number, to: number): TimelineSeries[] {
  const byKey = new Map<string, { label: string; changes: HubEvent[] }>();
  for (const event of events) {
    if (event.toState === undefined || event.process === undefined || event.group === undefined) continue;
    const key = `${event.agent}/${makeNamespec(event.group, event.process)}`;
    const entry = byKey.get(key) ?? { label: key, changes: [] };
    entry.changes.push(event);
    byKey.set(key, entry);
  }
  const series: TimelineSeries[] = [];
  for (const [key, { label, changes }] of byKey) {
    changes.sort((a, b) => a.time - b.time);
    const bands: Band[] = [];
    // Before the first change the state is unknown (the process may not have existed): left blank.
    changes.forEach((change, i) => {
      const end = changes[i + 1]?.time ?? to;
      bands.push({ state: change.toState!, from: Math.max(from, change.time), to: Math.max(end, change.time) });
    });
    series.push({ key, label, bands });
  }
  return series.sort((a, b) => (a.key < b.key ? -1 : 1));
}

export function Timeline({ series, from, to }: { series: TimelineSeries[]; from: number; to: number }) {
  const span = Math.max(1, to - from);
  if (series.length === 0) return <p class="empty">No state change in this window.</p>;
  return (
    <div class="timeline">
      <div class="timeline-axis muted">
        <span>{timeText(from)}</span>
        <span>{timeText(to)}</span>
      </div>
      {series.map((line) => (
        <div class="timeline-row" key={line.key}>
          <span class="timeline-label" title={line.label}>
            {line.label}
          </span>
          <div class="timeline-bar" role="img" aria-label={`${line.label}: ${line.bands.map((b) => `${b.state} from ${timeText(b.from)}`).join(', ')}`}>
            {line.bands.map((band) => {
              const left = ((band.from - from) / span) * 100;
              const width = Math.max(0.3, ((band.to - band.from) / span) * 100);
              return (
                <span
                  key={`${band.from}-${band.state}`}
                  class={`band state-${band.state.toLowerCase()}`}
                  style={{ left: `${left}%`, width: `${width}%` }}
                  title={`${band.state} ${timeText(band.from)} – ${timeText(band.to)}`}
                >
                  <span class="band-text">{band.state}</span>
                </span>
              );
            })}
          </div>
        </div>
      ))}
      <div class="legend muted">
        {['RUNNING', 'STARTING', 'BACKOFF', 'STOPPING', 'STOPPED', 'EXITED', 'FATAL'].map((state) => (
          <span key={state} class="legend-item">
            <span class={`swatch state-${state.toLowerCase()}`} /> {state}
          </span>
        ))}
      </div>
    </div>
  );
}
