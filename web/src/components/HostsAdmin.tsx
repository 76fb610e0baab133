/**
 * Admins add, edit and remove the agents the hub follows; agents from hub.ini
 * are read-only. A refused form keeps everything typed, says what is wrong
 * next to the form and puts the cursor in the field to fix.
 */
import { useState } from 'preact/hooks';
import { ApiError, del, errorText, patch, post } from '../api.js';
import { useFleet } from '../hooks.js';
import { fleet } from '../store.js';
import type { Agent } from '../types.js';
import { FormErrorText, useFieldForm, type FormError } from './FieldForm.js';
import { StateBadge } from './StateBadge.js';

interface AgentForm {
  name: string;
  url: string;
  username: string;
  password: string;
  tags: string;
}

type AgentFormError = FormError<keyof AgentForm>;

const EMPTY: AgentForm = { name: '', url: '', username: '', password: '', tags: '' };
const ERROR_ID = 'host-form-error';

function tagsOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((tag) => tag !== '');
}

/** A new agent's body, or only what an edit changed (the URL shown is redacted, so an untouched one is not sent back). */
function bodyOf(form: AgentForm, original: Agent | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { tags: tagsOf(form.tags) };
  if (original === undefined) body.name = form.name.trim();
  if (original === undefined || form.url.trim() !== original.url) body.url = form.url.trim();
  if (form.username !== '') body.username = form.username;
  if (form.password !== '') body.password = form.password;
  return body;
}

function missingField(form: AgentForm, editing: boolean): AgentFormError | undefined {
  if (!editing && form.name.trim() === '') return { field: 'name', message: "Name is required: letters, digits, '.', '_' or '-'." };
  if (form.url.trim() === '') return { field: 'url', message: 'URL is required: http://host:port, https://host:port or unix:///path.' };
  return undefined;
}

/** The hub's message and the field it is about: the hub starts a refused field's message with its name (`url: …`). */
function refusal(err: unknown, editing: boolean): AgentFormError {
  const message = errorText(err);
  if (!(err instanceof ApiError)) return { message };
  if (err.code === 'FV_API_CONFLICT' && !editing) return { message, field: 'name' };
  const field = (['name', 'url', 'username', 'password', 'tags'] as const).find((each) => message.startsWith(`${each}:`));
  return field === undefined ? { message } : { message, field };
}

export function HostsAdmin() {
  useFleet();
  const agents = [...fleet.agents.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const { form, setForm, formError, setFormError, showError, focus, input } = useFieldForm(EMPTY, ERROR_ID);
  const [editing, setEditing] = useState<Agent | undefined>(undefined);
  const [message, setMessage] = useState('');
  const [tableError, setTableError] = useState('');
  const [busy, setBusy] = useState(false);

  const clearForm = () => {
    setForm(EMPTY);
    setEditing(undefined);
    setFormError(undefined);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setMessage('');
    setTableError('');
    const missing = missingField(form, editing !== undefined);
    if (missing !== undefined) {
      showError(missing);
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      const saved =
        editing !== undefined
          ? await patch<Agent>(`/agents/${encodeURIComponent(editing.name)}`, bodyOf(form, editing))
          : await post<Agent>('/agents', bodyOf(form, undefined));
      // Shown at once rather than when the live stream announces it. The stream orders the change before the
      // health that follows it, but this answer may come after that health: keep the health already known.
      const health = fleet.agents.get(saved.name)?.health ?? saved.health;
      fleet.applyAgentChange({ change: editing !== undefined ? 'updated' : 'added', agent: { ...saved, health } });
      setMessage(editing !== undefined ? `Saved ${editing.name}.` : `Added ${form.name.trim()}.`);
      clearForm();
    } catch (err) {
      showError(refusal(err, editing !== undefined));
    } finally {
      setBusy(false);
    }
  };
  const edit = (agent: Agent) => {
    setMessage('');
    setFormError(undefined);
    setEditing(agent);
    setForm({ name: agent.name, url: agent.url, username: '', password: '', tags: agent.tags.join(', ') });
    focus('url');
  };
  const remove = async (agent: Agent) => {
    if (!confirm(`Remove ${agent.name}? The hub stops following it; its history stays.`)) return;
    setMessage('');
    setTableError('');
    try {
      await del(`/agents/${encodeURIComponent(agent.name)}`);
      fleet.applyAgentChange({ change: 'removed', agent });
      if (editing?.name === agent.name) clearForm();
      setMessage(`Removed ${agent.name}.`);
    } catch (err) {
      setTableError(errorText(err));
    }
  };

  return (
    <main>
      <section class="card">
        <h2>Hosts</h2>
        {message !== '' && <p class="notice" role="status">{message}</p>}
        {tableError !== '' && <p class="error" role="alert">{tableError}</p>}
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Tags</th>
                <th scope="col">Health</th>
                <th scope="col">Source</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {agents.map((agent) => (
                <tr key={agent.name} data-agent={agent.name} data-health={agent.health.state}>
                  <td>{agent.name}</td>
                  <td class="mono">{agent.url}</td>
                  <td>{agent.tags.join(', ')}</td>
                  <td>
                    <StateBadge state={agent.health.state} /> <span class="muted">{agent.health.error ?? ''}</span>
                  </td>
                  <td>{agent.source === 'config' ? 'hub.ini (read-only)' : 'added here'}</td>
                  <td>
                    {/* A td that is itself a flex box loses its row height and spills over the next row when the health text is long. */}
                    <div class="button-row" style={{ flexWrap: 'nowrap' }}>
                      <button type="button" disabled={agent.source === 'config'} onClick={() => edit(agent)} aria-label={`Edit ${agent.name}`}>
                        Edit
                      </button>
                      <button type="button" class="danger" disabled={agent.source === 'config'} onClick={() => void remove(agent)} aria-label={`Remove ${agent.name}`}>
                        Remove
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card">
        <h3 id="host-form-title">{editing === undefined ? 'Add a host' : `Edit ${editing.name}`}</h3>
        <form class="form-grid" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="host-form-title">
          <label>
            Name
            <input {...input('name')} required disabled={editing !== undefined} autocomplete="off" />
          </label>
          <label>
            URL
            <input {...input('url')} required placeholder="http://10.0.0.5:9001" autocomplete="off" />
          </label>
          <label>
            User (optional)
            <input {...input('username')} autocomplete="off" />
          </label>
          <label>
            Password (optional{editing !== undefined ? ', empty keeps it' : ''})
            <input {...input('password')} type="password" autocomplete="new-password" />
          </label>
          <label class="span-2">
            Tags (comma separated)
            <input {...input('tags')} autocomplete="off" />
          </label>
          <FormErrorText error={formError} id={ERROR_ID} />
          <div class="button-row span-2">
            <button type="submit" class="primary" disabled={busy}>
              {editing === undefined ? 'Add host' : 'Save'}
            </button>
            {editing !== undefined && (
              <button type="button" onClick={clearForm}>
                Cancel
              </button>
            )}
          </div>
        </form>
      </section>
    </main>
  );
}
