/**
 * A process's stdout or stderr: the tail loaded over REST, then new chunks
 * live from the hub's log stream. The search box marks matches in the loaded
 * text and can show only the lines that match.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, get, processPath } from '../api.js';
import type { LogTail as LogTailAnswer } from '../types.js';

const KEEP_CHARS = 256 * 1024;

export function LogTail({ agent, namespec }: { agent: string; namespec: string }) {
  const [channel, setChannel] = useState<'stdout' | 'stderr'>('stdout');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [live, setLive] = useState(false);
  const [search, setSearch] = useState('');
  const [onlyMatches, setOnlyMatches] = useState(false);
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    let alive = true;
    let source: EventSource | undefined;
    setText('');
    setError('');
    get<LogTailAnswer>(`${processPath(agent, namespec)}/log?channel=${channel}&bytes=32768`).then(
      (tail) => {
        if (!alive) return;
        setText(tail.data);
        source = new EventSource(`/api/v1${processPath(agent, namespec)}/log/stream?channel=${channel}`);
        source.addEventListener('open', () => setLive(true));
        source.addEventListener('error', () => setLive(false));
        let first = true;
        const onChunk = (message: MessageEvent<string>) => {
          const chunk = (JSON.parse(message.data) as { data: string }).data;
          // The stream opens with the last KiB, which the REST tail already holds.
          const fresh = first ? chunk.slice(overlap(tail.data, chunk)) : chunk;
          first = false;
          setText((previous) => (previous + fresh).slice(-KEEP_CHARS));
        };
        source.addEventListener('log', onChunk);
        source.addEventListener('message', onChunk);
        source.addEventListener('end', () => {
          setLive(false);
          source?.close();
        });
      },
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
      source?.close();
      setLive(false);
    };
  }, [agent, namespec, channel]);

  useEffect(() => {
    if (stick.current && pre.current !== null) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text, search, onlyMatches]);

  const needle = search.toLowerCase();
  const lines = text.split('\n');
  const matching = needle === '' ? lines : lines.filter((line) => line.toLowerCase().includes(needle));
  const shown = onlyMatches && needle !== '' ? matching : lines;

  return (
    <section class="card log-tail">
      <div class="section-head">
        <h3>Log</h3>
        <div class="segmented" role="group" aria-label="Channel">
          {(['stdout', 'stderr'] as const).map((name) => (
            <button key={name} type="button" aria-pressed={channel === name} onClick={() => setChannel(name)}>
              {name}
            </button>
          ))}
        </div>
        <span class={`badge ${live ? 'stream-live' : 'stream-not-live'}`}>{live ? 'live' : 'not live'}</span>
        <span class="spacer-flex" />
        <label class="inline">
          <span class="sr-only">Search the log</span>
          <input type="search" placeholder="Search loaded text" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        {needle !== '' && <span class="muted">{matching.length} matching lines</span>}
        <label class="checkbox">
          <input type="checkbox" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.currentTarget.checked)} /> only matches
        </label>
      </div>
      {error !== '' && <p class="error" role="alert">{error}</p>}
      <pre
        class="log"
        ref={pre}
        tabIndex={0}
        aria-label={`${channel} of ${namespec}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {shown.map((line, i) => (
          <Line key={i} line={line} needle={needle} last={i === shown.length - 1} />
        ))}
      </pre>
    </section>
  );
}

/** How many leading characters of `chunk` the end of `text` already has. */
function overlap(text: string, chunk: string): number {
  for (let k = Math.min(text.length, chunk.length); k > 0; k--) if (text.endsWith(chunk.slice(0, k))) return k;
  return 0;
}

function Line({ line, needle, last }: { line: string; needle: string; last: boolean }) {
  const end = last ? '' : '\n';
  if (needle === '') return <>{line + end}</>;
  const parts: (string | preact.JSX.Element)[] = [];
  const lower = line.toLowerCase();
  let at = 0;
  for (let hit = lower.indexOf(needle); hit !== -1; hit = lower.indexOf(needle, at)) {
    parts.push(line.slice(at, hit), <mark key={hit}>{line.slice(hit, hit + needle.length)}</mark>);
    at = hit + needle.length;
  }
  parts.push(line.slice(at) + end);
  return <>{parts}</>;
}
