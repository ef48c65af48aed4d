import { A, useLocation, useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show, Suspense } from 'solid-js';
import { LIMITS } from '../../../shared/api';
import { useApi } from '../api/context';
import { TopBar } from '../ui/top-bar';
import { errorText } from '../ui/toast';

/** The boards I belong to (archived ones on request), and a form to start a new one. */
export default function Boards() {
  const api = useApi();
  const navigate = useNavigate();
  // Why a board sent us here (removed from it, say): `navigate('/', { state: { notice } })`.
  const left = useLocation<{ notice?: string } | undefined>().state?.notice;
  const [showArchived, setShowArchived] = createSignal(false);
  // The source is an object: Solid skips fetching while a source is false.
  const [boards, { refetch }] = createResource(() => ({ archived: showArchived() }), (q) => api.boards(q.archived));
  const restore = async (id: string) => {
    try {
      await api.setArchived(id, false);
      void refetch();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const [error, setError] = createSignal('');

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const title = String(new FormData(form).get('title') ?? '').trim();
    if (!title) return;
    try {
      const b = await api.createBoard(title);
      navigate(`/boards/${b.id}`);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <>
      <TopBar />
      <main class="page boards-page">
        <h1>Your boards</h1>
        <Show when={left}>
          <p class="banner" role="alert">
            {left}
          </p>
        </Show>
        <form class="inline-form" onSubmit={create}>
          <label class="field">
            <span class="field-label">New board title</span>
            <input name="title" required maxLength={LIMITS.boardTitleMaxLength} placeholder="e.g. Lisbon one-take" />
          </label>
          <button type="submit" class="primary">
            Create board
          </button>
        </form>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <label class="check show-archived">
          <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} />
          Show archived boards
        </label>
        <Suspense fallback={<p role="status">Loading boards…</p>}>
          <Show when={boards.error}>
            <p class="form-error" role="alert">
              Could not load your boards: {errorText(boards.error)}
            </p>
          </Show>
          <Show when={boards()?.length === 0}>
            <p class="muted">No boards yet. Create one, or open an invite link a teammate sent you.</p>
          </Show>
          <ul class="board-list" aria-label="Boards">
            <For each={boards()}>
              {(b) => (
                <li data-archived={b.archivedAt ? 'true' : undefined}>
                  <A href={`/boards/${b.id}`}>{b.title}</A>
                  <span class={`role role-${b.role}`}>{b.role}</span>
                  <Show when={b.archivedAt}>
                    <span class="archived-badge">archived</span>
                    <Show when={b.role === 'owner'}>
                      <button type="button" class="link" aria-label={`Restore ${b.title}`} onClick={() => void restore(b.id)}>
                        Restore
                      </button>
                    </Show>
                  </Show>
                  <span class="muted">updated {new Date(b.updatedAt).toLocaleDateString()}</span>
                </li>
              )}
            </For>
          </ul>
        </Suspense>
      </main>
    </>
  );
}
