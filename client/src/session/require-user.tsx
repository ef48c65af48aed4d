import { Navigate, useLocation } from '@solidjs/router';
import { Match, Switch, type JSX } from 'solid-js';
import { useSession } from './session';

/** Renders children for a logged-in user; sends everyone else to the login page and back. */
export function RequireUser(props: { children: JSX.Element }) {
  const session = useSession();
  const location = useLocation();
  const next = () => encodeURIComponent(location.pathname + location.search);
  return (
    <Switch>
      <Match when={session.user() === undefined}>
        <p class="loading" role="status">Loading…</p>
      </Match>
      <Match when={session.user() === null}>
        <Navigate href={`/login?next=${next()}`} />
      </Match>
      <Match when={session.user()}>{props.children}</Match>
    </Switch>
  );
}

/** Where to go after logging in: the `next` parameter when it is a path on this site. */
export function safeNext(next: string | string[] | undefined): string {
  const n = Array.isArray(next) ? next[0] : next;
  return n && n.startsWith('/') && !n.startsWith('//') ? n : '/';
}
