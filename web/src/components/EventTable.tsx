/** A list of hub events: time, host, process, what happened. */
import { timeText } from '../format.js';
import { href } from '../router.js';
import type { HubEvent } from '../types.js';
import { StateBadge } from './StateBadge.js';
import { eventDetailsText } from '../../../hub/api/event-text.js';
import { makeNamespec } from '../../../node-agent/api/namespec.js';

export function EventTable({ events, showHost = true }: { events: readonly HubEvent[]; showHost?: boolean }) {
  return (
    <div class="table-scroll">
      <table class="events">
        <thead>
          <tr>
            <th scope="col">Time</th>
            {showHost && <th scope="col">Host</th>}
            <th scope="col">Process</th>
            <th scope="col">Change</th>
            <th scope="col" class="wide">Detail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id ?? `${event.agent}-${event.time}-${event.type}`} data-type={event.type} data-agent={event.agent} data-process={event.process ?? ''}>
              <td class="nowrap">{timeText(event.time)}</td>
              {showHost && <td>{event.agent}</td>}
              <td>
                {event.process !== undefined ? (
                  <a href={href(['process', event.agent, makeNamespec(event.group ?? event.process, event.process)])}>{makeNamespec(event.group ?? event.process, event.process)}</a>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td class="nowrap change">
                {event.toState !== undefined ? (
                  <>
                    {event.fromState !== undefined && <span class="muted">{event.fromState} → </span>}
                    <StateBadge state={event.toState} />
                  </>
                ) : (
                  <code>{event.type}</code>
                )}
              </td>
              <td class="wide">{detailOf(event)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function detailOf(event: HubEvent): string {
  const parts: string[] = [];
  if (event.pid !== undefined && event.pid > 0) parts.push(`pid ${event.pid}`);
  if (event.exitStatus !== undefined) parts.push(`exit ${event.exitStatus}${event.expected === false ? ' (unexpected)' : event.expected ? ' (expected)' : ''}`);
  if (event.spawnErr !== undefined && event.spawnErr !== '') parts.push(event.spawnErr);
  const details = eventDetailsText(event);
  if (details !== undefined) parts.push(details);
  if (event.observed) parts.push('observed by polling');
  return parts.join(' · ');
}
