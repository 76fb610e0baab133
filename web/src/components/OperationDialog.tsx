/**
 * Confirms an operation before it is sent, naming how many processes on how
 * many hosts; for a rolling restart it asks batch size, wait and health
 * check. On confirm it POSTs /operations and hands back the accepted answer.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, post } from '../api.js';
import { plural } from '../format.js';
import type { OperationAccepted, OperationRequest } from '../types.js';
import type { DialogKind } from './SelectionBar.js';

interface Props {
  kind: DialogKind;
  /** `agent/namespec` of each selected process. */
  targets: { agent: string; namespec: string }[];
  onClose: () => void;
  onStarted: (accepted: OperationAccepted) => void;
}

const VERB: Record<DialogKind, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  signal: 'Signal',
  'rolling-restart': 'Rolling restart',
};

export function OperationDialog({ kind, targets, onClose, onStarted }: Props) {
  const rolling = kind === 'rolling-restart';
  const [batch, setBatch] = useState('1');
  const [waitSeconds, setWaitSeconds] = useState('0');
  const [pauseSeconds, setPauseSeconds] = useState('0');
  const [healthUrl, setHealthUrl] = useState('');
  const [stopOnFailure, setStopOnFailure] = useState(true);
  const [signal, setSignal] = useState('HUP');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLElement>('input, button.primary')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
      if (event.key === 'Tab' && dialog.current !== null) keepFocusIn(dialog.current, event);
    };
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, []);

  const hosts = new Set(targets.map((target) => target.agent)).size;
  const summary = `${VERB[kind]} ${plural(targets.length, 'process')} on ${plural(hosts, 'host')}`;

  const confirm = async (event: Event) => {
    event.preventDefault();
    const body: OperationRequest = {
      action: rolling ? 'restart' : kind,
      selectors: targets.map((target) => `${target.agent}/${target.namespec}`),
      mode: rolling ? 'rolling' : 'parallel',
    };
    if (kind === 'signal') body.signal = signal;
    if (rolling) {
      body.batch = /%$/.test(batch.trim()) ? batch.trim() : Number(batch);
      body.waitSeconds = Number(waitSeconds);
      body.pauseSeconds = Number(pauseSeconds);
      body.stopOnFailure = stopOnFailure;
      if (healthUrl.trim() !== '') body.healthUrl = healthUrl.trim();
    }
    setBusy(true);
    setError('');
    try {
      onStarted(await post<OperationAccepted>('/operations', body));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="card dialog" role="dialog" aria-modal="true" aria-labelledby="op-title" ref={dialog}>
        <form onSubmit={confirm}>
          <h2 id="op-title">{summary}?</h2>
          <p class="muted target-list">
            {targets.slice(0, 8).map((t) => `${t.agent}/${t.namespec}`).join(', ')}
            {targets.length > 8 && ` and ${targets.length - 8} more`}
          </p>
          {kind === 'signal' && (
            <label>
              Signal
              <input name="signal" value={signal} onInput={(e) => setSignal(e.currentTarget.value)} required />
            </label>
          )}
          {rolling && (
            <div class="form-grid">
              <label>
                Batch size (hosts, or a share like 25%)
                <input name="batch" value={batch} pattern="\d+%?" required onInput={(e) => setBatch(e.currentTarget.value)} />
              </label>
              <label>
                Wait after start (s)
                <input name="waitSeconds" type="number" min="0" value={waitSeconds} onInput={(e) => setWaitSeconds(e.currentTarget.value)} />
              </label>
              <label>
                Pause between batches (s)
                <input name="pauseSeconds" type="number" min="0" value={pauseSeconds} onInput={(e) => setPauseSeconds(e.currentTarget.value)} />
              </label>
              <label class="span-2">
                Health URL (optional, {'{host}'} is replaced)
                <input name="healthUrl" type="url" placeholder="http://{host}:8080/health" value={healthUrl} onInput={(e) => setHealthUrl(e.currentTarget.value)} />
              </label>
              <label class="checkbox span-2">
                <input type="checkbox" checked={stopOnFailure} onChange={(e) => setStopOnFailure(e.currentTarget.checked)} />
                Stop at the first failure
              </label>
            </div>
          )}
          {error !== '' && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="dialog-buttons">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Sending…' : summary}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** A modal dialog keeps Tab and Shift+Tab inside it: past its last control to its first, and back. */
function keepFocusIn(container: HTMLElement, event: KeyboardEvent): void {
  const controls = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (first === undefined || last === undefined) return;
  const inside = container.contains(document.activeElement);
  if (event.shiftKey && (!inside || document.activeElement === first)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
    event.preventDefault();
    first.focus();
  }
}
