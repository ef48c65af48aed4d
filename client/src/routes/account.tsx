/**
 * Devices and sessions: every browser logged in as me, with which one this is, and a way to end
 * any of them (a lost phone) or all the others at once. Ending a session logs that browser out
 * at once, boards it has open included (the server closes its sockets and streams).
 */
import { useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show, Suspense } from 'solid-js';
import { LIMITS, type SessionInfo } from '../../../shared/api';
import { ApiTokens } from '../account/api-tokens';
import { useApi } from '../api/context';
import { useSession } from '../session/session';
import { Field } from '../ui/field';
import { ago, browserTimeZone, cityOfZone, exactTime } from '../ui/format';
import { createPageAction } from '../ui/page-action';
import { errorText } from '../ui/toast';
import { TopBar } from '../ui/top-bar';

export default function Account() {
  const api = useApi();
  const session = useSession();
  const navigate = useNavigate();
  const [sessions, { refetch }] = createResource(() => api.sessions());
  const others = () => (sessions() ?? []).filter((s) => !s.current);

  const { act, busy, error } = createPageAction(refetch);
  const end = (s: SessionInfo) =>
    s.current
      ? void session.logout().then(() => navigate('/login', { replace: true }))
      : void act(() => api.endSession(s.id));

  const [saved, setSaved] = createSignal('');
  const saveCity = (e: SubmitEvent) => {
    e.preventDefault();
    const city = String(new FormData(e.currentTarget as HTMLFormElement).get('city') ?? '').trim();
    setSaved('');
    void act(async () => {
      session.updated(await api.setCity(city || null));
      setSaved(city ? `Teammates now see ${city} next to your name (on boards you open from now on).` : 'Teammates now see the city of your time zone.');
    });
  };

  return (
    <>
      <TopBar />
      <main class="page account-page">
        <h1>Your city</h1>
        <form class="city-form" onSubmit={saveCity}>
          <Field
            label="City"
            name="city"
            autocomplete="address-level2"
            maxLength={LIMITS.cityMaxLength}
            value={session.user()?.city ?? ''}
            placeholder={cityOfZone(browserTimeZone()) ?? ''}
            hint="Shown to teammates next to your name; empty shows the city of your time zone"
          />
          <button type="submit" disabled={busy()}>
            Save city
          </button>
        </form>
        <Show when={saved()}>
          <p class="muted" role="status">
            {saved()}
          </p>
        </Show>
        <h1>Devices and sessions</h1>
        <p class="muted">Every browser logged in as you. End one you do not recognise: it is logged out at once, boards it has open included.</p>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <Suspense fallback={<p role="status">Loading sessions…</p>}>
          <Show when={sessions.error}>
            <p class="form-error" role="alert">
              Could not load your sessions: {errorText(sessions.error)}
            </p>
          </Show>
          <ul class="board-list session-list" aria-label="Sessions">
            <For each={sessions()}>
              {(s) => (
                <li data-current={s.current ? 'true' : undefined}>
                  <div class="session-what">
                    <span class="session-device" title={s.userAgent ?? 'The browser did not say what it is'}>
                      {s.device}
                    </span>
                    <Show when={s.current}>
                      <span class="tag">This device</span>
                    </Show>
                    <span class="muted session-when">
                      Signed in <time title={exactTime(s.createdAt)}>{ago(s.createdAt)}</time> · last active{' '}
                      <time title={exactTime(s.lastSeenAt)}>{ago(s.lastSeenAt)}</time>
                    </span>
                  </div>
                  <button type="button" class="ghost" disabled={busy()} onClick={() => end(s)}>
                    {s.current ? 'Log out' : 'End session'}
                  </button>
                </li>
              )}
            </For>
          </ul>
          <div class="session-actions">
            <button type="button" disabled={busy() || others().length === 0} onClick={() => void act(() => api.endOtherSessions())}>
              Log out all other devices
            </button>
            <Show when={sessions() && others().length === 0}>
              <span class="muted">No other device is logged in as you.</span>
            </Show>
          </div>
        </Suspense>
        <ApiTokens />
      </main>
    </>
  );
}
