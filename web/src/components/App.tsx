/**
 * The shell: asks the hub who is signed in (or shows the sign-in page),
 * opens the live stream once, and routes the hash to a view. The user's role
 * decides which navigation entries and buttons exist.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, post, setUnauthorizedHandler } from '../api.js';
import { useFleet } from '../hooks.js';
import { href, useRoute, type Route } from '../router.js';
import { makeSession, SessionContext, type Session } from '../session.js';
import { fleet } from '../store.js';
import type { User } from '../types.js';
import { History } from './History.js';
import { HostsAdmin } from './HostsAdmin.js';
import { Login } from './Login.js';
import { OperationProgress } from './OperationProgress.js';
import { OpsLog } from './OpsLog.js';
import { Overview } from './Overview.js';
import { ProcessDetail } from './ProcessDetail.js';
import { UsersAdmin } from './UsersAdmin.js';

let earlyWhoAmI: Promise<User> | undefined;

/**
 * Sends the page's first requests (who am I, the fleet) as soon as the script
 * runs, before the first render and its effects, so they leave together and
 * a frame or two earlier.
 */
export function startEarlyRequests(): void {
  fleet.prefetch();
  earlyWhoAmI ??= get<User>('/auth/me');
  earlyWhoAmI.catch(() => undefined); // handled when App takes it; this only keeps an early 401 from being "unhandled"
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      fleet.disconnect();
      setUser(null);
    });
    fleet.prefetch();
    const whoAmI = earlyWhoAmI ?? get<User>('/auth/me');
    earlyWhoAmI = undefined;
    whoAmI.then(setUser, () => setUser(null));
  }, []);

  useEffect(() => {
    if (user === null || user === undefined) return;
    fleet.connect();
    void fleet.load().catch(() => undefined);
    return () => fleet.disconnect();
  }, [user?.name]);

  const session = useMemo<Session | undefined>(
    () =>
      user
        ? makeSession(user, () => {
            void post('/auth/logout').finally(() => {
              fleet.disconnect();
              setUser(null);
              location.hash = '#/';
            });
          })
        : undefined,
    [user],
  );

  if (user === undefined) return <p class="empty">Loading…</p>;
  if (user === null || session === undefined) return <Login onSignedIn={setUser} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} />
    </SessionContext.Provider>
  );
}

function Shell({ session }: { session: Session }) {
  const route = useRoute();
  useFleet();
  const section = route.parts[0] ?? '';
  const nav: [string, string][] = [
    ['', 'Overview'],
    ['history', 'History'],
    ['ops', 'Operations'],
    ...(session.can('admin') ? ([['hosts', 'Hosts']] as [string, string][]) : []),
    ['users', session.can('admin') ? 'Users & tokens' : 'Tokens'],
  ];
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">
          Fleetvisor
        </a>
        <nav aria-label="Main">
          {nav.map(([path, label]) => (
            <a key={path} href={href(path === '' ? [] : [path])} aria-current={section === path || (path === '' && section === 'process') ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="spacer-flex" />
        <span class={`live-dot ${fleet.connected ? 'is-live' : ''}`} role="status" title="Live updates from the hub">
          {fleet.connected ? 'live' : 'reconnecting'}
        </span>
        <span class="who">
          {session.user.name} <span class="role">{session.user.role}</span>
        </span>
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <View route={route} session={session} />
    </>
  );
}

function View({ route, session }: { route: Route; session: Session }) {
  const [section, a, b] = route.parts;
  switch (section) {
    case undefined:
      return <Overview route={route} />;
    case 'process':
      return a !== undefined && b !== undefined ? <ProcessDetail key={`${a}/${b}`} agent={a} namespec={b} /> : <NotFound />;
    case 'history':
      return <History route={route} />;
    case 'ops':
      return a === undefined ? <OpsLog /> : <OperationProgress key={a} id={Number(a)} />;
    case 'hosts':
      return session.can('admin') ? <HostsAdmin /> : <NotFound />;
    case 'users':
      return <UsersAdmin />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <main>
      <p class="empty">
        No such page. <a href="#/">Back to the overview</a>
      </p>
    </main>
  );
}
