/** Admins manage the hub's users and roles; everyone manages their own API tokens here. */
import { useState } from 'preact/hooks';
import { del, errorText, get, patch, post } from '../api.js';
import { timeText } from '../format.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { NewToken, Role, TokenRecord, UserRecord } from '../types.js';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

function listOf<T>(answer: T[] | Record<string, T[]>): T[] {
  return Array.isArray(answer) ? answer : (Object.values(answer).find(Array.isArray) ?? []);
}

export function UsersAdmin() {
  const session = useSession();
  return (
    <main>
      {session.can('admin') && <UsersPanel />}
      <TokensPanel />
    </main>
  );
}

function UsersPanel() {
  const users = useLoad(() => get<UserRecord[] | { users: UserRecord[] }>('/users').then(listOf), []);
  const [form, setForm] = useState({ name: '', password: '', role: 'viewer' as Role });
  const [error, setError] = useState('');
  const run = async (what: () => Promise<unknown>) => {
    setError('');
    try {
      await what();
      users.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section class="card">
      <h2>Users</h2>
      {(error !== '' || users.error !== '') && <p class="error" role="alert">{error || users.error}</p>}
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((user) => (
              <tr key={user.name} data-user={user.name}>
                <td>{user.name}</td>
                <td>
                  <select aria-label={`Role of ${user.name}`} value={user.role} onChange={(e) => run(() => patch(`/users/${encodeURIComponent(user.name)}`, { role: e.currentTarget.value }))}>
                    {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
                  </select>
                </td>
                <td>{timeText(user.created)}</td>
                <td class="button-row">
                  <button
                    type="button"
                    onClick={() => {
                      const password = prompt(`New password for ${user.name}`);
                      if (password) void run(() => patch(`/users/${encodeURIComponent(user.name)}`, { password }));
                    }}
                  >
                    Set password
                  </button>
                  <button type="button" class="danger" onClick={() => confirm(`Delete user ${user.name}?`) && run(() => del(`/users/${encodeURIComponent(user.name)}`))}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Add a user</h3>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await post('/users', form);
            setForm({ name: '', password: '', role: 'viewer' });
          });
        }}
      >
        <label>
          Name
          <input name="name" required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="new-password" required value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
        </label>
        <label>
          Role
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
            {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
          </select>
        </label>
        <div class="button-row">
          <button type="submit" class="primary">Add user</button>
        </div>
      </form>
    </section>
  );
}

function TokensPanel() {
  const tokens = useLoad(() => get<TokenRecord[] | { tokens: TokenRecord[] }>('/tokens').then(listOf), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewToken | undefined>(undefined);
  const [error, setError] = useState('');
  const run = async (what: () => Promise<unknown>) => {
    setError('');
    try {
      await what();
      tokens.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section class="card">
      <h2>API tokens</h2>
      <p class="muted">For scripts and fleetvisorctl: send it as <code>Authorization: Bearer …</code>.</p>
      {(error !== '' || tokens.error !== '') && <p class="error" role="alert">{error || tokens.error}</p>}
      {created !== undefined && (
        <p class="notice" role="status">
          Token <b>{created.name}</b> (shown once, copy it now): <code class="token">{created.token}</code>
        </p>
      )}
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">User</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{token.user ?? ''}</td>
                <td>{timeText(token.created)}</td>
                <td>{timeText(token.lastUsed)}</td>
                <td>
                  <button type="button" class="danger" onClick={() => confirm(`Revoke token ${token.name}?`) && run(() => del(`/tokens/${encodeURIComponent(token.id)}`))}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setCreated(await post<NewToken>('/tokens', { name }));
            setName('');
          });
        }}
      >
        <label>
          New token name
          <input name="tokenName" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">Create token</button>
      </form>
    </section>
  );
}
