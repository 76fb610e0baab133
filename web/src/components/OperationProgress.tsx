/**
 * One operation, live: its batches, each target's result as it comes, and
 * the outcome, from the hub's per-operation event stream (which replays what
 * already happened, so this page can be opened or reloaded at any time).
 * Operators can cancel it while it runs.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, get, post } from '../api.js';
import { plural, timeText } from '../format.js';
import { acceptedOperation } from '../operations.js';
import { useSession } from '../session.js';
import type { BatchProgress, DoneProgress, OperationDetail, TargetProgress } from '../types.js';

interface TargetRow {
  label: string;
  batch?: number;
  status: 'pending' | 'running' | 'ok' | 'failed' | 'skipped';
  message: string;
  ms?: number;
}

interface Progress {
  targets: Map<string, TargetRow>;
  batch?: BatchProgress;
  done?: DoneProgress;
}

function initialProgress(id: number): Progress {
  const targets = new Map<string, TargetRow>();
  for (const target of acceptedOperation(id)?.targets ?? []) {
    const label = `${target.agent}/${target.namespec}`;
    targets.set(label, { label, status: 'pending', message: '' });
  }
  return { targets };
}

export function OperationProgress({ id }: { id: number }) {
  const session = useSession();
  const [record, setRecord] = useState<OperationDetail | undefined>(undefined);
  const [progress, setProgress] = useState<Progress>(() => initialProgress(id));
  const [error, setError] = useState('');
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    let alive = true;
    get<OperationDetail>(`/operations/${id}`).then(
      (answer) => alive && setRecord(answer),
      (err: unknown) => alive && setError(errorText(err)),
    );
    const source = new EventSource(`/api/v1/operations/${id}/events`);
    const update = (change: (draft: Progress) => void) =>
      setProgress((previous) => {
        const draft: Progress = { ...previous, targets: new Map(previous.targets) };
        change(draft);
        return draft;
      });
    source.addEventListener('batch', (message) => {
      const batch = JSON.parse((message as MessageEvent<string>).data) as BatchProgress;
      update((draft) => {
        draft.batch = batch;
        for (const label of batch.targets) {
          const known = draft.targets.get(label);
          draft.targets.set(label, { label, batch: batch.index, status: known?.status === 'pending' || known === undefined ? 'running' : known.status, message: known?.message ?? '' });
        }
      });
    });
    source.addEventListener('target', (message) => {
      const result = JSON.parse((message as MessageEvent<string>).data) as TargetProgress;
      const label = `${result.agent}/${result.namespec}`;
      update((draft) => {
        draft.targets.set(label, { label, batch: draft.targets.get(label)?.batch, status: result.status, message: result.message, ms: result.ms });
      });
    });
    source.addEventListener('done', (message) => {
      const done = JSON.parse((message as MessageEvent<string>).data) as DoneProgress;
      update((draft) => {
        draft.done = done;
      });
      source.close();
      get<OperationDetail>(`/operations/${id}`).then((answer) => alive && setRecord(answer), () => undefined);
    });
    return () => {
      alive = false;
      source.close();
    };
  }, [id]);

  const rows = [...progress.targets.values()];
  const finished = rows.filter((row) => row.status === 'ok' || row.status === 'failed' || row.status === 'skipped').length;
  const failed = rows.filter((row) => row.status === 'failed').length;
  const total = progress.done?.counts.total ?? rows.length;
  const outcome = progress.done?.status ?? (record !== undefined && record.status !== 'running' ? record.status : undefined);
  const percent = total === 0 ? 0 : Math.round((100 * (progress.done !== undefined ? total : finished)) / total);

  const cancel = async () => {
    setCancelling(true);
    try {
      await post(`/operations/${id}/cancel`);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <main>
      <section class="card operation">
        <div class="section-head">
          <h2>
            Operation #{id}
            {record !== undefined && `: ${record.action} (${record.mode})`}
          </h2>
          <span class={`outcome outcome-${outcome ?? 'running'}`} role="status" data-outcome={outcome ?? 'running'}>
            {outcome === undefined ? 'Running' : outcome === 'succeeded' ? 'Succeeded' : outcome[0]!.toUpperCase() + outcome.slice(1)}
          </span>
          <span class="spacer-flex" />
          {outcome === undefined && session.can('operator') && (
            <button type="button" class="danger" onClick={cancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
        </div>
        {record !== undefined && (
          <p class="muted">
            By {record.user} at {timeText(record.started)}
            {record.selectors !== undefined && ` on ${record.selectors.join(' ')}`}
          </p>
        )}
        {error !== '' && <p class="error" role="alert">{error}</p>}
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Targets done">
          <div class={`progress-fill ${failed > 0 ? 'has-failed' : ''} ${outcome === 'succeeded' ? 'is-done' : ''}`} style={{ width: `${percent}%` }} />
        </div>
        <p class="progress-text">
          {finished} of {plural(total, 'target')} done
          {failed > 0 && `, ${failed} failed`}
          {progress.batch !== undefined && ` · batch ${progress.batch.index} of ${progress.batch.total}`}
          {progress.done !== undefined && ` · ${progress.done.counts.ok} ok, ${progress.done.counts.failed} failed, ${progress.done.counts.skipped} skipped`}
        </p>
        <table class="targets">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Batch</th>
              <th scope="col">Result</th>
              <th scope="col">Time</th>
              <th scope="col" class="wide">Message</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label} data-target={row.label} data-status={row.status}>
                <td>{row.label}</td>
                <td>{row.batch ?? '—'}</td>
                <td>
                  <span class={`badge result-${row.status}`}>{row.status}</span>
                </td>
                <td>{row.ms !== undefined ? `${(row.ms / 1000).toFixed(1)} s` : ''}</td>
                <td class="wide">{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
