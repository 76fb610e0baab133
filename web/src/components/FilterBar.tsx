/** Host, tag, state and name filters plus free-text search for the overview; kept in the URL. */
import type { ProcessFilter } from '../filters.js';

const STATES = ['', 'RUNNING', 'STARTING', 'BACKOFF', 'STOPPING', 'STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];

interface Props {
  filter: ProcessFilter;
  tags: string[];
  onChange: (filter: ProcessFilter) => void;
}

export function FilterBar({ filter, tags, onChange }: Props) {
  const set = (key: keyof ProcessFilter) => (event: Event) => onChange({ ...filter, [key]: (event.currentTarget as HTMLInputElement).value });
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search
        <input type="search" name="q" placeholder="host, name, state…" value={filter.q} onInput={set('q')} />
      </label>
      <label>
        Host
        <input name="host" placeholder="web*" value={filter.host} onInput={set('host')} />
      </label>
      <label>
        Tag
        <select name="tag" value={filter.tag} onChange={set('tag')}>
          <option value="">any</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </select>
      </label>
      <label>
        State
        <select name="state" value={filter.state} onChange={set('state')}>
          {STATES.map((state) => (
            <option key={state} value={state}>
              {state === '' ? 'any' : state}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input name="name" placeholder="app:*" value={filter.name} onInput={set('name')} />
      </label>
    </form>
  );
}
