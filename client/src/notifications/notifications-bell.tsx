import { A } from '@solidjs/router';
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { NotificationView, UnreadEvent } from '../../../shared/api';
import { useApi } from '../api/context';
import { createNow } from '../ui/clock';
import { ago, exactTime } from '../ui/format';
import { errorText } from '../ui/toast';
import { headline, notificationHref } from './notification-text';

/**
 * The inbox in the top bar: a bell with the unread count, kept live by the server's event stream
 * (every tab of mine sees the same count), and a panel of the latest entries, each a link to the
 * board, shot and moment it is about. Opening an entry marks it read; "Mark all read" does all.
 */
export function NotificationsBell() {
  const api = useApi();
  const now = createNow(30_000);
  const [unread, setUnread] = createSignal(0);
  const [items, setItems] = createSignal<NotificationView[] | null>(null);
  const [open, setOpen] = createSignal(false);
  const [error, setError] = createSignal('');

  const settle = (work: Promise<{ items: NotificationView[]; unread: number }>) =>
    work.then(
      (list) => {
        setItems(list.items);
        setUnread(list.unread);
        setError('');
      },
      (err) => setError(errorText(err)),
    );
  const load = () => settle(api.notifications());

  let events: EventSource | null = null;
  onMount(() => {
    void load();
    if (typeof EventSource === 'undefined') return;
    events = new EventSource(api.notificationEventsUrl(), { withCredentials: true });
    // On (re)connect the count is asked again: changes made while the stream was down count too.
    events.addEventListener('ready', () => void load());
    events.addEventListener('unread', (e) => {
      const { unread: n } = JSON.parse((e as MessageEvent<string>).data) as UnreadEvent;
      if (n !== unread() && open()) void load();
      setUnread(n);
    });
  });
  let root: HTMLDivElement | undefined;
  const outside = (e: PointerEvent) => open() && root && !root.contains(e.target as Node) && setOpen(false);
  document.addEventListener('pointerdown', outside);
  onCleanup(() => {
    events?.close();
    document.removeEventListener('pointerdown', outside);
  });

  const toggle = () => {
    if (!open()) void load();
    setOpen(!open());
  };
  const follow = (n: NotificationView) => {
    setOpen(false);
    if (!n.readAt) void settle(api.markNotificationsRead([n.id]));
  };

  return (
    <div class="notif" ref={root} onKeyDown={(e) => e.key === 'Escape' && open() && (e.stopPropagation(), setOpen(false))}>
      <button
        type="button"
        class="ghost notif-bell"
        aria-expanded={open()}
        aria-haspopup="true"
        aria-label={unread() > 0 ? `Notifications: ${unread()} unread` : 'Notifications: none unread'}
        onClick={toggle}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        <Show when={unread() > 0}>
          <span class="notif-count" data-unread={unread()}>
            {unread() > 99 ? '99+' : unread()}
          </span>
        </Show>
      </button>
      <Show when={open()}>
        <section class="notif-panel" aria-label="Notifications">
          <header class="notif-head">
            <h2>Notifications</h2>
            <button type="button" class="link" disabled={unread() === 0} onClick={() => void settle(api.markAllNotificationsRead())}>
              Mark all read
            </button>
          </header>
          <Show when={error()}>
            <p class="form-error" role="alert">
              {error()}
            </p>
          </Show>
          <Show when={items()} fallback={<p class="muted" role="status">Loading…</p>}>
            {(list) => (
              <Show when={list().length > 0} fallback={<p class="muted">Nothing yet. Mentions, replies, your shots’ takes, answers to your notes, guest comments and budget warnings show up here.</p>}>
                <ul class="notif-list">
                  <For each={list()}>
                    {(n) => (
                      <li classList={{ unread: !n.readAt }} data-kind={n.kind} data-notification={n.id}>
                        <A href={notificationHref(n)} onClick={() => follow(n)}>
                          <span class="notif-line">
                            <strong>{headline(n)}</strong>
                            <span class="muted"> · {n.boardTitle}</span>
                          </span>
                          <span class="notif-text">{n.text}</span>
                          <time class="muted" dateTime={n.createdAt} title={exactTime(n.createdAt)}>
                            {ago(n.createdAt, now())}
                          </time>
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </section>
      </Show>
    </div>
  );
}
