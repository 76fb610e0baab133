/**
 * The fleet at a glance: hosts with health, then every process filtered and
 * grouped by host or by program, live from the hub's event stream. Operators
 * select processes here and act on them.
 */
import { useMemo, useState } from 'preact/hooks';
import { compileFilter, filterFromParams, type ProcessFilter } from '../filters.js';
import { plural } from '../format.js';
import { useFleet } from '../hooks.js';
import { rememberOperation } from '../operations.js';
import { href, replaceParams, type Route } from '../router.js';
import { useSession } from '../session.js';
import { fleet, processKey } from '../store.js';
import { FilterBar } from './FilterBar.js';
import { HostList } from './HostList.js';
import { OperationDialog } from './OperationDialog.js';
import { ProcessTable } from './ProcessTable.js';
import { ProgramView } from './ProgramView.js';
import { SelectionBar, type DialogKind } from './SelectionBar.js';
import { StateCounts } from './StateBadge.js';

export function Overview({ route }: { route: Route }) {
  useFleet();
  const session = useSession();
  const canAct = session.can('operator');
  const filter = filterFromParams(route.params);
  const byProgram = route.params.get('view') === 'programs';
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<DialogKind | undefined>(undefined);

  const all = fleet.list();
  const agents = useMemo(() => [...fleet.agents.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), [fleet.agentsVersion]);
  const tags = useMemo(() => [...new Set(agents.flatMap((agent) => agent.tags))].sort(), [agents]);
  const filterKey = JSON.stringify(filter);
  const matching = useMemo(() => all.filter(compileFilter(filter, fleet.agents)), [all, filterKey, agents]);
  const counts = useMemo(() => {
    const byState: Record<string, number> = {};
    for (const process of matching) byState[process.state] = (byState[process.state] ?? 0) + 1;
    return byState;
  }, [matching]);

  const setFilter = (next: ProcessFilter) => replaceParams({ ...next, view: byProgram ? 'programs' : '' });
  const toggle = (keys: string[], on: boolean) => {
    const next = new Set(selected);
    for (const key of keys) {
      if (on) next.add(key);
      else next.delete(key);
    }
    setSelected(next);
  };
  const selectedTargets = [...selected].map((key) => fleet.processes.get(key)).filter((p) => p !== undefined);
  const selectedHosts = new Set(selectedTargets.map((p) => p.agent)).size;

  return (
    <main class="overview">
      <HostList agents={agents} processes={all} onPickHost={(host) => setFilter({ ...filter, host })} />
      <section class="card">
        <div class="section-head">
          <h2>Processes</h2>
          <span class="muted" aria-live="polite">
            {plural(matching.length, 'process')} shown of {all.length}
          </span>
          <StateCounts counts={counts} />
          <span class="spacer-flex" />
          <div class="segmented" role="group" aria-label="Group processes">
            <a href={href([], { ...filter, view: '' })} aria-current={!byProgram ? 'true' : undefined}>
              By host
            </a>
            <a href={href([], { ...filter, view: 'programs' })} aria-current={byProgram ? 'true' : undefined}>
              By program
            </a>
          </div>
        </div>
        <FilterBar filter={filter} tags={tags} onChange={setFilter} />
        {canAct && (
          <SelectionBar
            selectedCount={selectedTargets.length}
            selectedHosts={selectedHosts}
            matchingCount={matching.length}
            onSelectMatching={() => toggle(matching.map((p) => processKey(p.agent, p.namespec)), true)}
            onClear={() => setSelected(new Set())}
            onAction={setDialog}
          />
        )}
        {!fleet.loaded ? (
          <p class="empty">Loading the fleet…</p>
        ) : byProgram ? (
          <ProgramView processes={matching} selected={canAct ? selected : undefined} onToggle={toggle} />
        ) : (
          <ProcessTable processes={matching} groupByHost selected={canAct ? selected : undefined} onToggle={toggle} />
        )}
      </section>
      {dialog !== undefined && (
        <OperationDialog
          kind={dialog}
          targets={selectedTargets.map((p) => ({ agent: p.agent, namespec: p.namespec }))}
          onClose={() => setDialog(undefined)}
          onStarted={(accepted) => {
            rememberOperation(accepted);
            setDialog(undefined);
            setSelected(new Set());
            location.hash = href(['ops', String(accepted.id)]);
          }}
        />
      )}
    </main>
  );
}
