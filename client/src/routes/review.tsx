import { useParams } from '@solidjs/router';
import { createResource, createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { MAX_GUEST_NAME_CHARS, type GuestBoardView } from '../../../shared/review-links';
import { ApiError } from '../api/api-client';
import { useApi } from '../api/context';
import { GuestReview } from '../review/guest-review';
import { errorText } from '../ui/toast';

/** How often an open review asks again: new takes and comments arrive, and a revoked link ends the review. */
const POLL_MS = 5_000;

/**
 * A guest review link (`/review/:secret`), for someone without an account: the board's title and
 * a name prompt, then the review. The guest cookie is the server's (HttpOnly); this page only
 * asks whether it belongs to this link. When the link is revoked or expires the next poll says
 * so and the review closes.
 */
export default function Review() {
  const api = useApi();
  const params = useParams<{ secret: string }>();
  const [preview] = createResource(() => params.secret, (s) => api.guestPreview(s));
  const [store, setStore] = createStore<{ view: GuestBoardView | null }>({ view: null });
  const [checked, setChecked] = createSignal(false);
  const [closed, setClosed] = createSignal('');
  const [joinError, setJoinError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  async function load() {
    try {
      setStore('view', reconcile(await api.guestBoard(), { key: 'id' }));
    } catch (err) {
      // Mid-review, a 401 means the link was revoked or expired: say so and stop.
      if (err instanceof ApiError && err.status === 401 && store.view) {
        setClosed(err.message);
        setStore('view', null);
      }
    } finally {
      setChecked(true);
    }
  }
  onMount(() => void load());
  const timer = setInterval(() => {
    if (store.view && !closed() && document.visibilityState === 'visible') void load();
  }, POLL_MS);
  onCleanup(() => clearInterval(timer));

  const joined = () => !!store.view && store.view.you.linkId === preview()?.linkId;
  const join = async (e: SubmitEvent) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget as HTMLFormElement).get('name') ?? '').trim();
    if (!name) return setJoinError(`Your name: 1 to ${MAX_GUEST_NAME_CHARS} characters`);
    setBusy(true);
    try {
      await api.guestJoin(params.secret, name);
      setJoinError('');
      await load();
    } catch (err) {
      setJoinError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={closed()}>
        <main class="auth-page">
          <div class="card auth-card" role="alert">
            <h1>This review has ended</h1>
            <p>{closed()}</p>
          </div>
        </main>
      </Match>
      <Match when={preview.error}>
        <main class="auth-page">
          <div class="card auth-card">
            <h1>This review link cannot be used</h1>
            <p role="alert">{errorText(preview.error)}</p>
          </div>
        </main>
      </Match>
      <Match when={preview.loading || !checked()}>
        <main class="auth-page">
          <p role="status">Opening the review…</p>
        </main>
      </Match>
      <Match when={joined() && store.view}>
        {(view) => <GuestReview view={view()} onCommented={(c) => setStore('view', 'comments', (list) => [...list, c])} />}
      </Match>
      <Match when={preview()}>
        {(p) => (
          <main class="auth-page">
            <form class="card auth-card guest-join" onSubmit={join} noValidate>
              <h1>Review “{p().boardTitle}”</h1>
              <p>Watch the sequence and the takes, and leave comments at the moments you mean. No account needed.</p>
              <label class="field">
                <span class="field-label">Your name</span>
                <input name="name" autocomplete="name" maxLength={MAX_GUEST_NAME_CHARS} required aria-invalid={joinError() ? 'true' : undefined} />
              </label>
              <p class="muted">The team sees it beside your comments, marked “guest”. The link works until {new Date(p().expiresAt).toLocaleString()}.</p>
              <Show when={joinError()}>
                <p class="form-error" role="alert">
                  {joinError()}
                </p>
              </Show>
              <button type="submit" class="primary" disabled={busy()}>
                Start reviewing
              </button>
            </form>
          </main>
        )}
      </Match>
    </Switch>
  );
}
