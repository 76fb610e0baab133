/**
 * One line of plain text for the JSON details of a hub-made event (HUB_*)
 * or an observed restart, as docs/hub-api.md defines them; fleetvisorctl's
 * history and the web view's event tables both print it. No imports on
 * purpose: the web bundle takes it as it is.
 */

interface HubDetails {
  state?: unknown;
  kind?: unknown;
  version?: unknown;
  error?: unknown;
  reason?: unknown;
  previousBoot?: unknown;
  boot?: unknown;
  firstSerial?: unknown;
  since?: unknown;
  until?: unknown;
  processes?: unknown;
  note?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const time = (ms: unknown): string | undefined =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined;

function health(d: HubDetails): string | undefined {
  const state = text(d.state);
  if (state === undefined) return undefined;
  const about = [text(d.kind), text(d.version)].filter((v) => v !== undefined && v !== 'unknown').join(' ');
  const error = text(d.error);
  return `${state}${about !== '' ? ` (${about})` : ''}${error !== undefined ? `: ${error}` : ''}`;
}

function gap(d: HubDetails): string | undefined {
  const since = time(d.since);
  const until = time(d.until);
  const window = since !== undefined && until !== undefined ? ` from ${since} to ${until}` : '';
  switch (d.reason) {
    case 'not_watching':
      return `the hub was not watching${window}`;
    case 'boot_changed': {
      const from = text(d.previousBoot);
      const to = text(d.boot);
      return `the agent restarted${from !== undefined && to !== undefined ? ` (boot ${from} → ${to})` : ''}${window}`;
    }
    case 'ring_overflow':
      return `events lost: the agent no longer held the hub's position${typeof d.firstSerial === 'number' ? ` (first event held: ${d.firstSerial})` : ''}`;
    default:
      return undefined;
  }
}

/** What an event table shows of its payload: hub-made and observed events only (others carry process output). */
export function eventDetailsText(event: { type: string; payload?: string; observed?: boolean }): string | undefined {
  if (event.payload === undefined || !(event.type.startsWith('HUB_') || event.observed)) return undefined;
  return eventPayloadText(event.type, event.payload);
}

/** The details of `payload` in words; the payload itself when it is not JSON of a known shape. */
export function eventPayloadText(type: string, payload: string): string {
  let details: HubDetails;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null) return payload;
    details = parsed as HubDetails;
  } catch {
    return payload;
  }
  let line: string | undefined;
  if (type === 'HUB_AGENT_HEALTH') line = health(details);
  else if (type === 'HUB_GAP') line = gap(details);
  else if (type === 'HUB_RESYNC') line = typeof details.processes === 'number' ? `resynced from a table of ${details.processes} processes` : undefined;
  else line = text(details.note);
  return line ?? payload;
}
