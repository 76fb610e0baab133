/**
 * Fleet history with the API's filters: the events themselves, a timeline
 * per process, restart and crash counts per program, and crashes with the
 * log lines the hub saved when they happened.
 */
import { useState } from 'preact/hooks';
import { errorText, get, query } from '../api.js';
import { useLoad } from '../hooks.js';
import { href, type Route } from '../router.js';
import type { EventPage, HubEvent, Summary } from '../types.js';
import { CrashList } from './CrashList.js';
import { EventTable } from './EventTable.js';
import { historyFilterFrom, HistoryFilters, type HistoryFilter } from './HistoryFilters.js';
import { seriesOf, Timeline } from './Timeline.js';
import { makeNamespec } from '../../../node-agent/api/namespec.js';

const TABS = [
  ['events', 'Events'],
  ['timeline', 'Timeline'],
  ['summary', 'Restarts & crashes'],
  ['crashes', 'Crash details'],
] as const;

function filterQuery(filter: HistoryFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));
}

export function History({ route }: { route: Route }) {
  const filter = historyFilterFrom(route.params);
  const tab = route.params.get('tab') ?? 'events';
  const key = JSON.stringify(filter);
  const apply = (next: HistoryFilter) => {
    location.hash = href(['history'], { ...filterQuery(next), tab });
  };
  return (
    <main>
      <section class="card">
        <div class="section-head">
          <h2>History</h2>
        </div>
        <HistoryFilters key={key} filter={filter} onApply={apply} />
        <nav class="tabs" aria-label="History views">
          {TABS.map(([id, label]) => (
            <a key={id} href={href(['history'], { ...filterQuery(filter), tab: id })} aria-current={tab === id ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        {tab === 'events' && <EventsTab key={key} filter={filter} />}
        {tab === 'timeline' && <TimelineTab key={key} filter={filter} />}
        {tab === 'summary' && <SummaryTab key={key} filter={filter} />}
        {tab === 'crashes' && <CrashList key={key} host={filter.host} process={filter.process} />}
      </section>
    </main>
  );
}

function EventsTab({ filter }: { filter: HistoryFilter }) {
  const [more, setMore] = useState<{ events: HubEvent[]; next?: string; error: string }>({ events: [], error: '' });
  const first = useLoad(() => get<EventPage>(`/events${query({ ...filterQuery(filter), limit: 100 })}`), []);
  const next = more.next ?? (more.events.length === 0 ? first.data?.next : undefined);
  const loadMore = async () => {
    try {
      const page = await get<EventPage>(`/events${query({ ...filterQuery(filter), limit: 100, after: next })}`);
      setMore({ events: [...more.events, ...page.events], next: page.next, error: '' });
    } catch (err) {
      setMore({ ...more, error: errorText(err) });
    }
  };
  const events = [...(first.data?.events ?? []), ...more.events];
  return (
    <div>
      {first.error !== '' && <p class="error" role="alert">{first.error}</p>}
      {first.loading ? <p class="empty">Loading…</p> : <EventTable events={events} />}
      {!first.loading && events.length === 0 && <p class="empty">No event matches.</p>}
      {more.error !== '' && <p class="error">{more.error}</p>}
      {next !== undefined && (
        <button type="button" onClick={loadMore}>
          Load older events
        </button>
      )}
    </div>
  );
}

function TimelineTab({ filter }: { filter: HistoryFilter }) {
  const loaded = useLoad(async () => {
    const to = Date.now();
    const page = await get<EventPage>(`/events${query({ ...filterQuery(filter), type: filter.type || 'PROCESS_STATE', order: 'asc', limit: 5000 })}`);
    const from = page.events.length > 0 ? page.events[0]!.time : sinceMs(filter.since, to);
    return { series: seriesOf(page.events, from, to), from, to };
  }, []);
  if (loaded.error !== '') return <p class="error" role="alert">{loaded.error}</p>;
  if (loaded.data === undefined) return <p class="empty">Loading…</p>;
  return <Timeline {...loaded.data} />;
}

/** The start of the window for a `since` like 2h / 7d / epoch ms / ISO; an hour back when unreadable. */
export function sinceMs(since: string, now: number): number {
  const span = /^(\d+)\s*([smhdw])$/.exec(since.trim());
  if (span !== null) return now - Number(span[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[span[2] as 's']!;
  if (/^\d+$/.test(since.trim())) return Number(since);
  const parsed = Date.parse(since);
  return Number.isNaN(parsed) ? now - 3.6e6 : parsed;
}

function SummaryTab({ filter }: { filter: HistoryFilter }) {
  const [by, setBy] = useState<'fleet' | 'host'>('fleet');
  const loaded = useLoad(() => get<Summary>(`/summary${query({ ...filterQuery(filter), by })}`), [by]);
  return (
    <div>
      <div class="segmented" role="group" aria-label="Count per">
        <button type="button" aria-pressed={by === 'fleet'} onClick={() => setBy('fleet')}>
          Per program
        </button>
        <button type="button" aria-pressed={by === 'host'} onClick={() => setBy('host')}>
          Per program and host
        </button>
      </div>
      {loaded.error !== '' && <p class="error" role="alert">{loaded.error}</p>}
      <div class="table-scroll">
        <table class="summary">
          <thead>
            <tr>
              {by === 'host' && <th scope="col">Host</th>}
              <th scope="col">Program</th>
              <th scope="col" class="num">Starts</th>
              <th scope="col" class="num">Crashes</th>
              <th scope="col" class="num">Fatal</th>
              <th scope="col" class="num">Uptime</th>
              <th scope="col" class="num">MTBF</th>
            </tr>
          </thead>
          <tbody>
            {(loaded.data?.rows ?? []).map((row) => (
              <tr key={`${row.agent ?? ''}/${row.group}:${row.process}`} class={row.unexpectedExits + row.fatals > 0 ? 'has-crashes' : ''}>
                {by === 'host' && <td>{row.agent}</td>}
                <td>{makeNamespec(row.group, row.process)}</td>
                <td class="num">{row.starts}</td>
                <td class="num">{row.unexpectedExits}</td>
                <td class="num">{row.fatals}</td>
                <td class="num">{row.uptimePct === null ? '—' : `${row.uptimePct.toFixed(1)}%`}</td>
                <td class="num">{row.mtbfSeconds === null || row.mtbfSeconds === undefined ? '—' : `${Math.round(row.mtbfSeconds)} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loaded.data?.rows.length === 0 && <p class="empty">Nothing ran in this window.</p>}
    </div>
  );
}
