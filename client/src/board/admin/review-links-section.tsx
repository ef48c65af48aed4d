import { createResource, createSignal, For, Show } from 'solid-js';
import type { ReviewLinkCreated, ReviewLinkInfo } from '../../../../shared/review-links';
import { useApi } from '../../api/context';
import { createNow } from '../../ui/clock';
import { ago, exactTime } from '../../ui/format';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';

/** The expiries the owner picks from, in hours (the server takes 1 hour to 90 days). */
const EXPIRIES: { hours: number; label: string }[] = [
  { hours: 24, label: '1 day' },
  { hours: 7 * 24, label: '7 days' },
  { hours: 30 * 24, label: '30 days' },
  { hours: 90 * 24, label: '90 days' },
];

/**
 * The board menu's guest review links (owners): make a link that expires when chosen, copy it
 * (shown once: only its hash is kept), see who made each, when it expires and when a guest last
 * used it, revoke it (its guests are shut out at their next request).
 */
export function ReviewLinksSection() {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const now = createNow(30_000);
  const [links, { refetch }] = createResource(() => api.reviewLinks(b.boardId));
  const [created, setCreated] = createSignal<ReviewLinkCreated | null>(null);
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const hours = Number(new FormData(e.currentTarget as HTMLFormElement).get('expiry'));
    setBusy(true);
    try {
      setCreated(await api.createReviewLink(b.boardId, hours));
      setError('');
      void refetch();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (link: ReviewLinkInfo) => {
    try {
      await api.revokeReviewLink(b.boardId, link.id);
      if (created()?.id === link.id) setCreated(null);
      void refetch();
      toast.show('Review link revoked: its guests are shut out');
    } catch (err) {
      toast.show(errorText(err));
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      toast.show('Link copied');
    } catch {
      toast.show('Select the link and copy it');
    }
  };

  return (
    <section class="admin-section review-links" aria-label="Guest review links">
      <h3>Guest review links</h3>
      <p class="muted">
        Anyone with the link, no account needed, types a name, watches the sequence and the takes, and comments on them (marked “guest”). They see no members,
        prompts or costs, and cannot change anything.
      </p>
      <Show when={created()}>
        {(c) => (
          <div class="review-link-new" role="status">
            <p>Copy the link now: it is not shown again.</p>
            <input class="review-link-url" readOnly value={c().url} aria-label="New review link" onFocus={(e) => e.currentTarget.select()} />
            <div class="review-link-actions">
              <button type="button" class="primary" onClick={() => void copy(c().url)}>
                Copy link
              </button>
              <button type="button" class="ghost" onClick={() => setCreated(null)}>
                Done
              </button>
            </div>
          </div>
        )}
      </Show>
      <form class="review-link-form" onSubmit={create}>
        <label class="field">
          <span class="field-label">Expires after</span>
          <select name="expiry">
            <For each={EXPIRIES}>{(x) => <option value={x.hours} selected={x.hours === 7 * 24}>{x.label}</option>}</For>
          </select>
        </label>
        <button type="submit" disabled={busy()}>
          Create review link
        </button>
      </form>
      <Show when={error()}>
        <p class="field-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={links()?.length === 0}>
        <p class="muted">No review links yet.</p>
      </Show>
      <ul class="review-link-list" aria-label="Review links">
        <For each={links()}>
          {(link) => (
            <li class="review-link" data-review-link={link.id}>
              <div>
                By {link.createdBy?.name ?? 'a former member'},{' '}
                <time dateTime={link.createdAt} title={exactTime(link.createdAt)}>
                  {ago(link.createdAt, now())}
                </time>
              </div>
              <div class="muted">
                <Show when={!link.expired} fallback={<strong class="review-link-expired">Expired {exactTime(link.expiresAt)}</strong>}>
                  Expires {exactTime(link.expiresAt)}
                </Show>{' '}
                · {link.lastUsedAt ? `last used ${ago(link.lastUsedAt, now())}` : 'not used yet'} · {link.guests} {link.guests === 1 ? 'guest' : 'guests'}
              </div>
              <button type="button" class="danger" aria-label={`Revoke the review link made ${exactTime(link.createdAt)}`} onClick={() => void revoke(link)}>
                Revoke
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
