/**
 * Processes grouped by program across hosts: `web` on 12 hosts, 11 RUNNING,
 * 1 FATAL. A program unfolds into its hosts; its checkbox selects them all.
 */
import { useState } from 'preact/hooks';
import { describeProcess } from '../format.js';
import { href } from '../router.js';
import { processKey } from '../store.js';
import type { Process } from '../types.js';
import { StateBadge, StateCounts } from './StateBadge.js';

interface Props {
  processes: Process[];
  selected: ReadonlySet<string> | undefined;
  onToggle: (keys: string[], on: boolean) => void;
}

interface Program {
  namespec: string;
  instances: Process[];
  counts: Record<string, number>;
}

function programsOf(processes: Process[]): Program[] {
  const byName = new Map<string, Program>();
  for (const process of processes) {
    let program = byName.get(process.namespec);
    if (program === undefined) {
      program = { namespec: process.namespec, instances: [], counts: {} };
      byName.set(process.namespec, program);
    }
    program.instances.push(process);
    program.counts[process.state] = (program.counts[process.state] ?? 0) + 1;
  }
  return [...byName.values()].sort((a, b) => (a.namespec < b.namespec ? -1 : 1));
}

export function ProgramView({ processes, selected, onToggle }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const programs = programsOf(processes);
  const toggleOpen = (namespec: string) => {
    const next = new Set(open);
    if (next.has(namespec)) next.delete(namespec);
    else next.add(namespec);
    setOpen(next);
  };
  return (
    <div class="table-scroll">
      <table class="programs">
        <thead>
          <tr>
            {selected !== undefined && <th class="check"><span class="sr-only">Select</span></th>}
            <th scope="col">Program</th>
            <th scope="col">Hosts</th>
            <th scope="col">States</th>
          </tr>
        </thead>
        <tbody>
          {programs.map((program) => {
            const keys = program.instances.map((p) => processKey(p.agent, p.namespec));
            const isOpen = open.has(program.namespec);
            return [
              <tr key={program.namespec} class="program-row" data-program={program.namespec}>
                {selected !== undefined && (
                  <td class="check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${program.namespec} on every host`}
                      checked={keys.every((key) => selected.has(key))}
                      onChange={(e) => onToggle(keys, e.currentTarget.checked)}
                    />
                  </td>
                )}
                <td>
                  <button type="button" class="link" aria-expanded={isOpen} onClick={() => toggleOpen(program.namespec)}>
                    {isOpen ? '▾' : '▸'} {program.namespec}
                  </button>
                </td>
                <td>on {program.instances.length} {program.instances.length === 1 ? 'host' : 'hosts'}</td>
                <td>
                  <StateCounts counts={program.counts} />
                </td>
              </tr>,
              ...(isOpen
                ? program.instances.map((process) => (
                    <tr key={`${program.namespec}@${process.agent}`} class="instance-row">
                      {selected !== undefined && (
                        <td class="check">
                          <input
                            type="checkbox"
                            aria-label={`Select ${process.agent} ${process.namespec}`}
                            checked={selected.has(processKey(process.agent, process.namespec))}
                            onChange={(e) => onToggle([processKey(process.agent, process.namespec)], e.currentTarget.checked)}
                          />
                        </td>
                      )}
                      <td class="indent">
                        <a href={href(['process', process.agent, process.namespec])}>{process.agent}</a>
                      </td>
                      <td class="desc">{describeProcess(process)}</td>
                      <td>
                        <StateBadge state={process.state} />
                      </td>
                    </tr>
                  ))
                : []),
            ];
          })}
        </tbody>
      </table>
      {programs.length === 0 && <p class="empty">No process matches.</p>}
    </div>
  );
}
