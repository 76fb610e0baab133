/** The operations log: who ran what, on which targets, with what result. */
import { get } from '../api.js';
import { timeText } from '../format.js';
import { useLoad } from '../hooks.js';
import { href } from '../router.js';
import type { OperationRecord } from '../types.js';

function listOf(answer: OperationRecord[] | { operations: OperationRecord[] }): OperationRecord[] {
  return Array.isArray(answer) ? answer : answer.operations;
}

export function OpsLog() {
  const operations = useLoad(() => get<OperationRecord[] | { operations: OperationRecord[] }>('/operations').then(listOf), []);
  return (
    <main>
      <section class="card">
        <div class="section-head">
          <h2>Operations log</h2>
          <span class="spacer-flex" />
          <button type="button" onClick={operations.reload}>
            Refresh
          </button>
        </div>
        {operations.error !== '' && <p class="error" role="alert">{operations.error}</p>}
        <div class="table-scroll">
          <table class="ops">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col" class="wide">Targets</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {(operations.data ?? []).map((op) => (
                <tr key={op.id} data-operation={op.id}>
                  <td>
                    <a href={href(['ops', String(op.id)])}>#{op.id}</a>
                  </td>
                  <td>{timeText(op.started)}</td>
                  <td>{op.user}</td>
                  <td>
                    {op.action} <span class="muted">({op.mode})</span>
                  </td>
                  <td class="wide">{(op.selectors ?? []).join(' ')}</td>
                  <td>
                    <span class={`badge outcome-${op.status}`}>{op.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {operations.data?.length === 0 && <p class="empty">No operation yet.</p>}
      </section>
    </main>
  );
}
