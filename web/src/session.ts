/** Who is signed in, and what their role lets them do; the role decides which buttons exist. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role, User } from './types.js';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Session {
  user: User;
  /** True when the user's role is `role` or higher. */
  can(role: Role): boolean;
  signOut(): void;
}

export function makeSession(user: User, signOut: () => void): Session {
  return { user, signOut, can: (role) => RANK[user.role] >= RANK[role] };
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in page');
  return session;
}
