import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import { NotificationsBell } from '../notifications/notifications-bell';
import { useSession } from '../session/session';
import { MenuIcon } from './icons';

/**
 * The app's header: home link, page-specific content, the inbox (a bell), the user (a link to their devices and
 * sessions) and "Log out". With `fold`, narrow screens keep one row (home, the page's own
 * content) and a menu button unfolds the rest: children marked `top-bar-fold` and the user.
 */
export function TopBar(props: { children?: JSX.Element; fold?: boolean }) {
  const session = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = createSignal(false);
  // A tool that opens a panel (Members, shortcuts) folds the menu away, so the panel is not drawn
  // over the menu it came from; undo and redo leave it open for the next step.
  const closeForPanel = (e: MouseEvent) => {
    const control = (e.target as Element).closest('[aria-expanded]');
    if (control && !control.classList.contains('top-bar-menu')) setOpen(false);
  };
  const logout = async () => {
    await session.logout();
    navigate('/login', { replace: true });
  };
  return (
    <header class="top-bar" classList={{ 'top-bar-folds': props.fold === true, 'top-bar-open': open() }} onClick={closeForPanel}>
      <A href="/" class="brand" aria-label="Takeboard: all boards">
        Takeboard
      </A>
      <div class="top-bar-main">{props.children}</div>
      <Show when={session.user()}>
        {(u) => (
          <>
            {/* Outside the menu: on a phone the unread count stays in the first row. */}
            <NotificationsBell />
            <div class="me">
              <A href="/account" class="me-name" title={`${u().email}: devices and sessions`}>
                {u().name}
              </A>
              <button type="button" class="ghost" onClick={logout}>
                Log out
              </button>
            </div>
          </>
        )}
      </Show>
      <Show when={props.fold}>
        <button type="button" class="ghost top-bar-menu" aria-label="Menu" aria-expanded={open()} onClick={() => setOpen(!open())}>
          <MenuIcon />
        </button>
      </Show>
    </header>
  );
}
