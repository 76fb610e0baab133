/**
 * Admins manage the hub's users and roles, and API tokens for anyone;
 * everyone else manages their own API tokens here. A refused form keeps what
 * was typed and says what is wrong next to it.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, del, errorText, get, patch, post } from '../api.js';
import { timeText } from '../format.js';
import { useLoad, type Loaded } from '../hooks.js';
import { useSession } from '../session.js';
import type { NewToken, Role, TokenRecord, UserRecord } from '../types.js';
import { FormErrorText, useFieldForm, type FormError } from './FieldForm.js';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];
/** The hub refuses shorter passwords (docs/hub-api.md). */
const PASSWORD_MIN_LENGTH = 8;

function listOf<T>(answer: T[] | Record<string, T[]>): T[] {
  return Array.isArray(answer) ? answer : (Object.values(answer).find(Array.isArray) ?? []);
}

export function UsersAdmin() {
  const session = useSession();
  const isAdmin = session.can('admin');
  const users = useLoad(() => (isAdmin ? get<UserRecord[] | { users: UserRecord[] }>('/users').then(listOf) : Promise.resolve([])), [isAdmin]);
  return (
    <main>
      {isAdmin && <UsersPanel users={users} />}
      <TokensPanel me={session.user.name} owners={isAdmin ? (users.data ?? []).map((user) => user.name) : undefined} />
    </main>
  );
}

type UserFormError = FormError<'name' | 'password'>;
const USER_ERROR_ID = 'user-form-error';

function userFormProblem(form: { name: string; password: string }): UserFormError | undefined {
  if (form.name.trim() === '') return { field: 'name', message: "Name is required: letters, digits, '.', '_', '@' or '-'." };
  if (form.password.length < PASSWORD_MIN_LENGTH) return { field: 'password', message: `The password needs at least ${PASSWORD_MIN_LENGTH} characters.` };
  return undefined;
}

function userRefusal(err: unknown): UserFormError {
  const message = errorText(err);
  if (err instanceof ApiError && err.code === 'FV_API_CONFLICT') return { message, field: 'name' };
  if (message.includes('body/password')) return { message, field: 'password' };
  if (message.includes('body/name')) return { message, field: 'name' };
  return { message };
}

function UsersPanel({ users }: { users: Loaded<UserRecord[]> }) {
  const { form, setForm, formError, setFormError, showError, input } = useFieldForm({ name: '', password: '', role: 'viewer' as Role }, USER_ERROR_ID);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const run = async (what: () => Promise<unknown>, done: string) => {
    setError('');
    setMessage('');
    try {
      await what();
      setMessage(done);
      users.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage('');
    const problem = userFormProblem(form);
    if (problem !== undefined) {
      showError(problem);
      return;
    }
    setFormError(undefined);
    try {
      const name = form.name.trim();
      await post('/users', { ...form, name });
      setForm({ name: '', password: '', role: 'viewer' });
      setMessage(`Added ${name} (${form.role}).`);
      users.reload();
    } catch (err) {
      showError(userRefusal(err));
    }
  };
  return (
    <section class="card">
      <h2>Users</h2>
      {message !== '' && <p class="notice" role="status">{message}</p>}
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
                  <select
                    aria-label={`Role of ${user.name}`}
                    value={user.role}
                    onChange={(e) => void run(() => patch(`/users/${encodeURIComponent(user.name)}`, { role: e.currentTarget.value }), `${user.name} is now ${e.currentTarget.value}.`)}
                  >
                    {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
                  </select>
                </td>
                <td>{timeText(user.created)}</td>
                <td>
                  <div class="button-row" style={{ flexWrap: 'nowrap' }}>
                    <button
                      type="button"
                      aria-label={`Set password of ${user.name}`}
                      onClick={() => {
                        const password = prompt(`New password for ${user.name}`);
                        if (password) void run(() => patch(`/users/${encodeURIComponent(user.name)}`, { password }), `Changed the password of ${user.name}.`);
                      }}
                    >
                      Set password
                    </button>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete user ${user.name}`}
                      onClick={() => confirm(`Delete user ${user.name}?`) && void run(() => del(`/users/${encodeURIComponent(user.name)}`), `Deleted ${user.name}.`)}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 id="user-form-title">Add a user</h3>
      <form class="form-grid" noValidate aria-labelledby="user-form-title" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input {...input('name')} required autocomplete="off" />
        </label>
        <label>
          Password
          <input {...input('password')} type="password" autocomplete="new-password" required minLength={PASSWORD_MIN_LENGTH} />
        </label>
        <label>
          Role
          <select name="role" value={form.role} onChange={(e) => {
              const role = e.currentTarget.value as Role;
              setForm((current) => ({ ...current, role }));
            }}>
            {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
          </select>
        </label>
        <FormErrorText error={formError} id={USER_ERROR_ID} />
        <div class="button-row">
          <button type="submit" class="primary">Add user</button>
        </div>
      </form>
    </section>
  );
}

/** `owners`: every user an admin may make a token for (an admin also sees everyone's tokens); undefined for others. */
function TokensPanel({ me, owners }: { me: string; owners: string[] | undefined }) {
  const isAdmin = owners !== undefined;
  const tokens = useLoad(() => get<TokenRecord[] | { tokens: TokenRecord[] }>(isAdmin ? '/tokens?all=true' : '/tokens').then(listOf), [isAdmin]);
  const [name, setName] = useState('');
  const [owner, setOwner] = useState(me);
  const [created, setCreated] = useState<(NewToken & { owner: string }) | undefined>(undefined);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const nameInput = useRef<HTMLInputElement>(null);
  const run = async (what: () => Promise<unknown>) => {
    setError('');
    setMessage('');
    try {
      await what();
      tokens.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const create = (event: Event) => {
    event.preventDefault();
    if (name.trim() === '') {
      setError('A token needs a name, e.g. the script that will use it.');
      nameInput.current?.focus();
      return;
    }
    void run(async () => {
      const body = owner === me ? { name: name.trim() } : { name: name.trim(), user: owner };
      setCreated({ ...(await post<NewToken>('/tokens', body)), owner });
      setName('');
    });
  };
  const revoke = (token: TokenRecord) => {
    if (!confirm(`Revoke token ${token.name}${token.user !== undefined ? ` of ${token.user}` : ''}?`)) return;
    void run(async () => {
      await del(`/tokens/${encodeURIComponent(token.id)}`);
      if (created?.id === token.id) setCreated(undefined);
      setMessage(`Revoked ${token.name}; it no longer signs anything in.`);
    });
  };
  return (
    <section class="card">
      <h2>API tokens</h2>
      <p class="muted">For scripts and fleetvisorctl: send it as <code>Authorization: Bearer …</code>.</p>
      {error !== '' || tokens.error !== '' ? (
        <p class="error" role="alert" id="token-form-error">{error || tokens.error}</p>
      ) : null}
      {message !== '' && <p class="notice" role="status">{message}</p>}
      {created !== undefined && (
        <p class="notice" role="status">
          Token <b>{created.name}</b>{created.owner !== me ? <> for <b>{created.owner}</b></> : null} (shown once, copy it now): <code class="token">{created.token}</code>
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
              <tr key={token.id} data-token={token.name} data-user={token.user}>
                <td>{token.name}</td>
                <td>{token.user ?? ''}</td>
                <td>{timeText(token.created)}</td>
                <td>{timeText(token.lastUsed)}</td>
                <td>
                  <button type="button" class="danger" aria-label={`Revoke token ${token.name}${token.user !== undefined ? ` of ${token.user}` : ''}`} onClick={() => revoke(token)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="inline-form" noValidate onSubmit={create}>
        <label>
          New token name
          <input
            ref={nameInput}
            name="tokenName"
            required
            autocomplete="off"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-describedby={error !== '' ? 'token-form-error' : undefined}
          />
        </label>
        {isAdmin && (
          <label>
            For user
            <select name="tokenUser" value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
              {(owners.includes(me) ? owners : [me, ...owners]).map((user) => <option key={user} value={user}>{user}</option>)}
            </select>
          </label>
        )}
        <button type="submit" class="primary">Create token</button>
      </form>
    </section>
  );
}
