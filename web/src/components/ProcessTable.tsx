/**
 * Processes as a table, grouped under their host. Only the rows in view (plus
 * a margin) are in the DOM: rows have a fixed height, so the scroll offset
 * says which ones, and spacer rows keep the scrollbar true for 2000 rows.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeProcess } from '../format.js';
import { href } from '../router.js';
import { processKey } from '../store.js';
import type { Process } from '../types.js';
import { StateBadge } from './StateBadge.js';

export const ROW_HEIGHT = 36;
const OVERSCAN = 10;

type Item = { kind: 'host'; agent: string; count: number } | { kind: 'process'; process: Process; key: string };

interface Props {
  processes: Process[];
  groupByHost: boolean;
  selected: ReadonlySet<string> | undefined;
  onToggle: (keys: string[], on: boolean) => void;
}

function itemsOf(processes: Process[], groupByHost: boolean): Item[] {
  const items: Item[] = [];
  let hostIndex = -1;
  for (const process of processes) {
    if (groupByHost && (hostIndex === -1 || (items[hostIndex] as { agent: string }).agent !== process.agent)) {
      hostIndex = items.length;
      items.push({ kind: 'host', agent: process.agent, count: 0 });
    }
    if (groupByHost) (items[hostIndex] as { count: number }).count++;
    items.push({ kind: 'process', process, key: processKey(process.agent, process.namespec) });
  }
  return items;
}

export function ProcessTable({ processes, groupByHost, selected, onToggle }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const frame = useRef(0);

  useEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = () => {
      frame.current = 0;
      setView({ top: element.scrollTop, height: element.clientHeight || 800 });
    };
    const onScroll = () => {
      if (frame.current === 0) frame.current = requestAnimationFrame(measure);
    };
    measure();
    element.addEventListener('scroll', onScroll, { passive: true });
    addEventListener('resize', onScroll);
    return () => {
      element.removeEventListener('scroll', onScroll);
      removeEventListener('resize', onScroll);
      cancelAnimationFrame(frame.current);
    };
  }, []);

  const items = itemsOf(processes, groupByHost);
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const selectable = selected !== undefined;
  const columns = selectable ? 6 : 5;

  return (
    <div class="table-scroll" ref={scroller} tabIndex={-1}>
      <table class="processes" aria-rowcount={items.length}>
        <thead>
          <tr>
            {selectable && <th class="check" scope="col"><span class="sr-only">Select</span></th>}
            <th scope="col">Host</th>
            <th scope="col">Process</th>
            <th scope="col">State</th>
            <th scope="col" class="wide">Description</th>
            <th scope="col" class="narrow-hide">PID</th>
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr class="spacer" style={{ height: `${first * ROW_HEIGHT}px` }} aria-hidden="true"><td colSpan={columns} /></tr>}
          {items.slice(first, last).map((item, offset) =>
            item.kind === 'host' ? (
              <tr class="host-row" key={`host:${item.agent}`} aria-rowindex={first + offset + 1}>
                {selectable && (
                  <td class="check">
                    <input
                      type="checkbox"
                      aria-label={`Select every process on ${item.agent}`}
                      checked={processes.some((p) => p.agent === item.agent) && processes.every((p) => p.agent !== item.agent || selected.has(processKey(p.agent, p.namespec)))}
                      onChange={(e) => onToggle(processes.filter((p) => p.agent === item.agent).map((p) => processKey(p.agent, p.namespec)), e.currentTarget.checked)}
                    />
                  </td>
                )}
                <th colSpan={columns - (selectable ? 1 : 0)} scope="rowgroup">
                  {item.agent} <span class="muted">({item.count})</span>
                </th>
              </tr>
            ) : (
              <ProcessRow key={item.key} itemKey={item.key} process={item.process} selected={selected} onToggle={onToggle} index={first + offset + 1} />
            ),
          )}
          {last < items.length && <tr class="spacer" style={{ height: `${(items.length - last) * ROW_HEIGHT}px` }} aria-hidden="true"><td colSpan={columns} /></tr>}
        </tbody>
      </table>
      {items.length === 0 && <p class="empty">No process matches.</p>}
    </div>
  );
}

interface RowProps {
  itemKey: string;
  process: Process;
  selected: ReadonlySet<string> | undefined;
  onToggle: (keys: string[], on: boolean) => void;
  index: number;
}

function ProcessRow({ itemKey, process, selected, onToggle, index }: RowProps) {
  return (
    <tr class="process-row" data-key={itemKey} data-state={process.state} aria-rowindex={index}>
      {selected !== undefined && (
        <td class="check">
          <input
            type="checkbox"
            aria-label={`Select ${process.agent} ${process.namespec}`}
            checked={selected.has(itemKey)}
            onChange={(e) => onToggle([itemKey], e.currentTarget.checked)}
          />
        </td>
      )}
      <td class="host">{process.agent}</td>
      <td class="name">
        <a href={href(['process', process.agent, process.namespec])}>{process.namespec}</a>
      </td>
      <td class="state-cell">
        <StateBadge state={process.state} />
      </td>
      <td class="wide desc">{describeProcess(process)}</td>
      <td class="narrow-hide pid">{process.pid > 0 ? process.pid : ''}</td>
    </tr>
  );
}
