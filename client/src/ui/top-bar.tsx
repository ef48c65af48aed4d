import { A, useNavigate } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { NotificationsBell } from '../notifications/notifications-bell';
import { useSession } from '../session/session';

/** The app's header: home link, page-specific content, the inbox, the user (a link to their account) and "Log out". */
export function TopBar(props: { children?: JSX.Element }) {
  const session = useSession();
  const navigate = useNavigate();
  const logout = async () => {
    await session.logout();
    navigate('/login', { replace: true });
  };
  return (
    <header class="top-bar">
      <A href="/" class="brand" aria-label="Takeboard: all boards">
        Takeboard
      </A>
      <div class="top-bar-main">{props.children}</div>
      <Show when={session.user()}>
        {(u) => (
          <div class="me">
            <NotificationsBell />
            <A href="/account" class="me-name" title={`${u().email}: devices and sessions`}>
              {u().name}
            </A>
            <button type="button" class="ghost" onClick={logout}>
              Log out
            </button>
          </div>
        )}
      </Show>
    </header>
  );
}
