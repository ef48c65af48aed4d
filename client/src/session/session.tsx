/**
 * Who is logged in. `user()` is undefined while /api/me is in flight, null when logged out.
 * Logging out also deletes this browser's offline board copies, so the next person on a shared
 * machine does not find them.
 */
import { createContext, createSignal, onMount, useContext, type Accessor, type JSX } from 'solid-js';
import type { User } from '../../../shared/api';
import { ApiError } from '../api/api-client';
import { useApi } from '../api/context';
import { forgetOfflineBoards } from '../board/offline-store';

export interface Session {
  user: Accessor<User | null | undefined>;
  login(email: string, password: string): Promise<User>;
  signup(fields: { email: string; password: string; name: string; city?: string }): Promise<User>;
  logout(): Promise<void>;
  /** Marks the session as gone (e.g. the sync socket said 4401) without calling the server. */
  expired(): void;
  /** The account changed (the city on the account page). */
  updated(user: User): void;
}

const SessionContext = createContext<Session>();

export function SessionProvider(props: { children: JSX.Element }) {
  const api = useApi();
  const [user, setUser] = createSignal<User | null | undefined>(undefined);

  onMount(() => {
    // 401 is the ordinary "not logged in"; any other failure also lands on the login page,
    // which then shows what the server says when the user tries.
    api.me().then(setUser, () => setUser(null));
  });

  const session: Session = {
    user,
    async login(email, password) {
      const u = await api.login({ email, password });
      setUser(u);
      return u;
    },
    async signup(fields) {
      await api.signup(fields);
      // A taken email gets the same answer as a new one, with a cookie that opens nothing (the
      // sign-up answer never says which emails have accounts): asking who we are now tells.
      const u = await api.me().catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          throw new ApiError(409, 'conflict', 'is already registered here, or could not be used: log in with it instead', 'email');
        }
        throw err;
      });
      setUser(u);
      return u;
    },
    async logout() {
      const u = user();
      await api.logout().catch(() => undefined);
      if (u) await forgetOfflineBoards(u.id).catch(() => undefined);
      setUser(null);
    },
    expired: () => setUser(null),
    updated: (u) => setUser(u),
  };
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

/** The session of the nearest SessionProvider. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession() needs a <SessionProvider>');
  return s;
}
