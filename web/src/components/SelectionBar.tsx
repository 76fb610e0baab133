/**
 * What is selected and what can be done with it. The action buttons exist
 * only for operators and admins; a viewer gets no selection at all.
 */
import { plural } from '../format.js';
import type { OpAction } from '../types.js';

export type DialogKind = OpAction | 'rolling-restart';

interface Props {
  selectedCount: number;
  selectedHosts: number;
  matchingCount: number;
  onSelectMatching: () => void;
  onClear: () => void;
  onAction: (kind: DialogKind) => void;
}

export function SelectionBar({ selectedCount, selectedHosts, matchingCount, onSelectMatching, onClear, onAction }: Props) {
  const none = selectedCount === 0;
  return (
    <div class="selection-bar" role="toolbar" aria-label="Selection and actions">
      <span class="selection-count" aria-live="polite">
        {none ? 'Nothing selected' : `${plural(selectedCount, 'process')} on ${plural(selectedHosts, 'host')} selected`}
      </span>
      <button type="button" onClick={onSelectMatching} disabled={matchingCount === 0}>
        Select all {matchingCount} matching
      </button>
      <button type="button" onClick={onClear} disabled={none}>
        Clear
      </button>
      <span class="spacer-flex" />
      <button type="button" class="action" data-action="start" disabled={none} onClick={() => onAction('start')}>
        Start
      </button>
      <button type="button" class="action" data-action="stop" disabled={none} onClick={() => onAction('stop')}>
        Stop
      </button>
      <button type="button" class="action" data-action="restart" disabled={none} onClick={() => onAction('restart')}>
        Restart
      </button>
      <button type="button" class="action" data-action="signal" disabled={none} onClick={() => onAction('signal')}>
        Signal…
      </button>
      <button type="button" class="action primary" data-action="rolling-restart" disabled={none} onClick={() => onAction('rolling-restart')}>
        Rolling restart…
      </button>
    </div>
  );
}
