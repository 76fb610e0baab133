/** The history filters, the same as the API's: host, tag, group, process, type, state, since, until. */
import { useState } from 'preact/hooks';

export const HISTORY_KEYS = ['host', 'tag', 'group', 'process', 'type', 'state', 'since', 'until'] as const;
export type HistoryFilter = Record<(typeof HISTORY_KEYS)[number], string>;

export function historyFilterFrom(params: URLSearchParams): HistoryFilter {
  const filter = {} as HistoryFilter;
  for (const key of HISTORY_KEYS) filter[key] = params.get(key) ?? (key === 'since' ? '1h' : '');
  return filter;
}

const PLACEHOLDER: HistoryFilter = {
  host: 'web*',
  tag: 'prod',
  group: 'app',
  process: 'worker*',
  type: 'PROCESS_STATE',
  state: 'FATAL',
  since: '1h, 7d or ISO time',
  until: 'now',
};

export function HistoryFilters({ filter, onApply }: { filter: HistoryFilter; onApply: (filter: HistoryFilter) => void }) {
  const [draft, setDraft] = useState(filter);
  return (
    <form
      class="filters"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      {HISTORY_KEYS.map((key) => (
        <label key={key}>
          {key[0]!.toUpperCase() + key.slice(1)}
          <input name={key} value={draft[key]} placeholder={PLACEHOLDER[key]} onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })} />
        </label>
      ))}
      <button type="submit" class="primary">
        Apply
      </button>
    </form>
  );
}
