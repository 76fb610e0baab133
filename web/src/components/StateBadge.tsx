/** A process or host state as coloured text: the colour helps, the word carries the meaning. */
export function StateBadge({ state, count }: { state: string; count?: number }) {
  return (
    <span class={`badge state-${state.toLowerCase()}`}>
      {count !== undefined && <b>{count}</b>}
      {state}
    </span>
  );
}

export function StateCounts({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <span class="state-counts">
      {entries.map(([state, count]) => (
        <StateBadge key={state} state={state} count={count} />
      ))}
    </span>
  );
}
