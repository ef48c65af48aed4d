import { createSignal, For, Show } from 'solid-js';
import { MAX_GUEST_COMMENT_CHARS, type GuestComment, type GuestShot, type GuestTake } from '../../../shared/review-links';
import { useApi } from '../api/context';
import { errorText } from '../ui/toast';

const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/**
 * One take as a guest reviews it: the clip, its comments each pinned to a time (a tap seeks
 * there), and a box that comments at the playhead. Comments arrive with the next poll; the
 * guest's own shows at once.
 */
export function GuestTakeReview(props: {
  shot: GuestShot;
  take: GuestTake;
  comments: GuestComment[];
  canComment: boolean;
  onCommented: (c: GuestComment) => void;
}) {
  const api = useApi();
  const [time, setTime] = createSignal(0);
  const [text, setText] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let video: HTMLVideoElement | undefined;
  const label = () => `Shot ${props.shot.number}${props.shot.title ? `: ${props.shot.title}` : ''}, take ${props.take.number ?? ''}`.trim();

  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    const body = text().trim();
    if (!body) return setError('Write your comment first');
    setBusy(true);
    try {
      props.onCommented(await api.guestComment({ shotId: props.shot.id, takeId: props.take.id, atSec: Math.round(time() * 10) / 10, text: body }));
      setText('');
      setError('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <figure class="player guest-take" data-take-id={props.take.id}>
      <figcaption>{label()}</figcaption>
      <video
        ref={(el) => (video = el)}
        src={api.guestAssetUrl(props.take.clip)}
        poster={props.take.poster ? api.guestAssetUrl(props.take.poster) : api.guestPosterUrl(props.take.clip)}
        controls
        playsinline
        preload="metadata"
        aria-label={`${label()} video`}
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
      />
      <ul class="comments" aria-label={`Comments on ${label()}`}>
        <For each={props.comments} fallback={<li class="muted">No comments on this take yet.</li>}>
          {(c) => (
            <li data-comment-id={c.id} classList={{ mine: c.mine }}>
              <button type="button" class="link" aria-label={`Go to ${fmt(c.atSec ?? 0)}`} onClick={() => video && (video.currentTime = c.atSec ?? 0)}>
                {fmt(c.atSec ?? 0)}
              </button>{' '}
              <strong>
                {c.author}
                <Show when={c.guest}>
                  {' '}
                  <span class="guest-badge">guest</span>
                </Show>
              </strong>
              : {c.text}
            </li>
          )}
        </For>
      </ul>
      <Show when={props.canComment}>
        <form class="guest-comment-form" onSubmit={send} noValidate>
          <label class="field">
            <span class="field-label">Comment at {fmt(time())}</span>
            <textarea
              rows={2}
              maxLength={MAX_GUEST_COMMENT_CHARS}
              value={text()}
              onInput={(e) => setText(e.currentTarget.value)}
              placeholder="Pause where you mean, then write"
              aria-invalid={error() ? 'true' : undefined}
            />
          </label>
          <Show when={error()}>
            <p class="field-error" role="alert">
              {error()}
            </p>
          </Show>
          <button type="submit" class="primary" disabled={busy()}>
            Comment
          </button>
        </form>
      </Show>
    </figure>
  );
}
