/** Admins add, edit and remove the agents the hub follows; agents from hub.ini are read-only. */
import { useState } from 'preact/hooks';
import { del, errorText, patch, post } from '../api.js';
import { useFleet } from '../hooks.js';
import { fleet } from '../store.js';
import type { Agent } from '../types.js';
import { StateBadge } from './StateBadge.js';

interface AgentForm {
  name: string;
  url: string;
  username: string;
  password: string;
  tags: string;
}

const EMPTY: AgentForm = { name: '', url: '', username: '', password: '', tags: '' };

function bodyOf(form: AgentForm, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { url: form.url, tags: form.tags.split(/[\s,]+/).filter((tag) => tag !== '') };
  if (!editing) body.name = form.name;
  if (form.username !== '') body.username = form.username;
  if (form.password !== '') body.password = form.password;
  return body;
}

export function HostsAdmin() {
  useFleet();
  const agents = [...fleet.agents.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const [form, setForm] = useState<AgentForm>(EMPTY);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const run = async (what: () => Promise<unknown>, done: string) => {
    setError('');
    setMessage('');
    try {
      await what();
      await fleet.reloadAgents();
      setMessage(done);
      setForm(EMPTY);
      setEditing(undefined);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (editing !== undefined) void run(() => patch(`/agents/${encodeURIComponent(editing)}`, bodyOf(form, true)), `Saved ${editing}.`);
    else void run(() => post('/agents', bodyOf(form, false)), `Added ${form.name}.`);
  };
  const edit = (agent: Agent) => {
    setEditing(agent.name);
    setForm({ name: agent.name, url: agent.url, username: '', password: '', tags: agent.tags.join(', ') });
  };
  const remove = (agent: Agent) => {
    if (confirm(`Remove ${agent.name}? The hub stops following it; its history stays.`)) {
      void run(() => del(`/agents/${encodeURIComponent(agent.name)}`), `Removed ${agent.name}.`);
    }
  };
  const set = (key: keyof AgentForm) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  return (
    <main>
      <section class="card">
        <h2>Hosts</h2>
        {message !== '' && <p class="notice" role="status">{message}</p>}
        {error !== '' && <p class="error" role="alert">{error}</p>}
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
                <tr key={agent.name} data-agent={agent.name}>
                  <td>{agent.name}</td>
                  <td class="mono">{agent.url}</td>
                  <td>{agent.tags.join(', ')}</td>
                  <td>
                    <StateBadge state={agent.health.state} /> <span class="muted">{agent.health.error ?? ''}</span>
                  </td>
                  <td>{agent.source === 'config' ? 'hub.ini (read-only)' : 'added here'}</td>
                  <td class="button-row">
                    <button type="button" disabled={agent.source === 'config'} onClick={() => edit(agent)}>
                      Edit
                    </button>
                    <button type="button" class="danger" disabled={agent.source === 'config'} onClick={() => remove(agent)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card">
        <h3>{editing === undefined ? 'Add a host' : `Edit ${editing}`}</h3>
        <form class="form-grid" onSubmit={submit}>
          <label>
            Name
            <input name="name" required disabled={editing !== undefined} value={form.name} onInput={set('name')} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" />
          </label>
          <label>
            URL
            <input name="url" required placeholder="http://10.0.0.5:9001" value={form.url} onInput={set('url')} />
          </label>
          <label>
            User (optional)
            <input name="username" autocomplete="off" value={form.username} onInput={set('username')} />
          </label>
          <label>
            Password (optional{editing !== undefined ? ', empty keeps it' : ''})
            <input name="password" type="password" autocomplete="new-password" value={form.password} onInput={set('password')} />
          </label>
          <label class="span-2">
            Tags (comma separated)
            <input name="tags" value={form.tags} onInput={set('tags')} />
          </label>
          <div class="button-row span-2">
            <button type="submit" class="primary">
              {editing === undefined ? 'Add host' : 'Save'}
            </button>
            {editing !== undefined && (
              <button type="button" onClick={() => { setEditing(undefined); setForm(EMPTY); }}>
                Cancel
              </button>
            )}
          </div>
        </form>
      </section>
    </main>
  );
}
