/**
 * One process: its live state, CPU and memory, recent events with a
 * timeline, and its log tail. Operators get start, stop and restart.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, processPath, query } from '../api.js';
import { ageText, bytesText, describeProcess, timeText } from '../format.js';
import { useFleet, useLoad } from '../hooks.js';
import { rememberOperation } from '../operations.js';
import { href } from '../router.js';
import { useSession } from '../session.js';
import { fleet } from '../store.js';
import type { EventPage, ProcessStats } from '../types.js';
import { EventTable } from './EventTable.js';
import { LogTail } from './LogTail.js';
import { OperationDialog } from './OperationDialog.js';
import type { DialogKind } from './SelectionBar.js';
import { StateBadge } from './StateBadge.js';
import { seriesOf, Timeline } from './Timeline.js';

export function ProcessDetail({ agent, namespec }: { agent: string; namespec: string }) {
  useFleet();
  const session = useSession();
  const process = fleet.find(agent, namespec);
  const [group, name] = namespec.includes(':') ? namespec.split(':', 2) : [namespec, namespec];
  const [dialog, setDialog] = useState<DialogKind | undefined>(undefined);
  const events = useLoad(
    () => get<EventPage>(`/events${query({ host: agent, group, process: name, limit: 50 })}`),
    [agent, namespec, process?.updated, process?.state],
  );
  const stats = useStats(agent, namespec);
  const now = Date.now();
  const recent = events.data?.events.filter((e) => e.time >= now - 3600_000 && e.toState !== undefined) ?? [];
  const from = recent.length > 0 ? Math.min(...recent.map((e) => e.time)) : now - 3600_000;

  return (
    <main>
      <section class="card">
        <p class="crumbs">
          <a href={href([], { host: agent })}>{agent}</a> / {namespec}
        </p>
        <div class="section-head">
          <h2>{namespec}</h2>
          {process !== undefined && <StateBadge state={process.state} />}
          <span class="spacer-flex" />
          {session.can('operator') && process !== undefined && (
            <div class="button-row">
              {(['start', 'stop', 'restart'] as const).map((action) => (
                <button key={action} type="button" class="action" data-action={action} onClick={() => setDialog(action)}>
                  {action[0]!.toUpperCase() + action.slice(1)}
                </button>
              ))}
            </div>
          )}
        </div>
        {process === undefined ? (
          <p class="empty">The hub does not know this process (yet).</p>
        ) : (
          <dl class="facts">
            <dt>Host</dt>
            <dd>{agent}</dd>
            <dt>PID</dt>
            <dd>{process.pid > 0 ? process.pid : '—'}</dd>
            <dt>Description</dt>
            <dd>{describeProcess(process) || '—'}</dd>
            <dt>Changed</dt>
            <dd>{process.updated !== undefined ? `${timeText(process.updated)} (${ageText(process.updated)} ago)` : '—'}</dd>
            <dt>CPU</dt>
            <dd>{stats.cpu ?? '—'}</dd>
            <dt>Memory (RSS)</dt>
            <dd>{stats.rss ?? '—'}</dd>
          </dl>
        )}
      </section>
      <section class="card">
        <h3>Last hour</h3>
        {events.data !== undefined && <Timeline series={seriesOf(recent, from, now)} from={from} to={now} />}
        <h3>Recent events</h3>
        {events.error !== '' && <p class="error">{events.error}</p>}
        {events.data !== undefined && <EventTable events={events.data.events} showHost={false} />}
      </section>
      <LogTail agent={agent} namespec={namespec} />
      {dialog !== undefined && (
        <OperationDialog
          kind={dialog}
          targets={[{ agent, namespec }]}
          onClose={() => setDialog(undefined)}
          onStarted={(accepted) => {
            rememberOperation(accepted);
            setDialog(undefined);
            location.hash = href(['ops', String(accepted.id)]);
          }}
        />
      )}
    </main>
  );
}

/** CPU and RSS, refreshed every few seconds while the page is open (the agent samples them; there is no stream). */
function useStats(agent: string, namespec: string): { cpu?: string; rss?: string } {
  const [stats, setStats] = useState<{ cpu?: string; rss?: string }>({});
  useEffect(() => {
    let alive = true;
    const load = () =>
      get<ProcessStats>(`${processPath(agent, namespec)}/stats`).then(
        (answer) => alive && setStats(readStats(answer)),
        (err: unknown) => alive && setStats({ cpu: `unavailable (${(err as Error).message})` }),
      );
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [agent, namespec]);
  return stats;
}

function readStats(answer: ProcessStats): { cpu?: string; rss?: string } {
  return {
    cpu: typeof answer.cpuPercent === 'number' ? `${answer.cpuPercent.toFixed(1)} %` : undefined,
    rss: typeof answer.rssBytes === 'number' ? bytesText(answer.rssBytes) : undefined,
  };
}
