import { createSignal, For, Show } from 'solid-js';
import { addComment, deleteComment, resolveComment, type CommentView, type TakeView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { createNow } from '../../ui/clock';
import { ago, clockTime as fmt, exactTime } from '../../ui/format';
import { useBoard } from '../board-context';
import { MentionInput } from '../comments/mention-input';
import { MentionText } from '../comments/mention-text';
import { NoteTakes } from './note-takes';

/**
 * Plays one take and holds its comments, each pinned to a time in the clip. In a comparison the
 * native controls are off and `onVideo` hands the element to the shared controls.
 */
export function TakePlayer(props: { shotId: string; take: TakeView; label: string; controls?: boolean; onVideo?: (video: HTMLVideoElement) => void }) {
  const b = useBoard();
  const api = useApi();
  const [time, setTime] = createSignal(0);
  const now = createNow(30_000);
  let video: HTMLVideoElement | undefined;
  const comments = () => b.state.comments.filter((c) => c.takeId === props.take.id);
  const author = (id: string) => b.members().find((m) => m.userId === id)?.name ?? 'someone';
  /** A comment's author: a member by name, a guest (review link) by the name they typed, marked. */
  const By = (p: { c: CommentView }) => (
    <Show when={p.c.guestName} fallback={author(p.c.author)}>
      {(name) => (
        <>
          {name()} <span class="guest-badge" title="Left through a guest review link, by someone without an account">guest</span>
        </>
      )}
    </Show>
  );
  // The server lets a comment's author delete it, and a board owner remove anyone's (recorded).
  const canDelete = (c: CommentView) => b.canComment() && (c.author === b.me.id || b.isOwner());
  // Editors resolve any thread; a commenter resolves their own (shared/doc/scope.ts).
  const canResolve = (c: CommentView) => b.canEdit() || (b.canComment() && c.author === b.me.id);

  const add = (text: string, mentions: string[]) =>
    b.edit((doc) => addComment(doc, { shotId: props.shotId, takeId: props.take.id, atSec: Math.round(time() * 10) / 10, author: b.me.id, text, mentions }), 'commenter');
  const teammates = () => b.members().filter((m) => m.userId !== b.me.id);
  // Opened from a notification: play from the comment's time once the clip can seek.
  const seekTo = () => {
    const j = b.jump();
    return j?.takeId === props.take.id && j.atSec !== undefined ? j.atSec : null;
  };
  const seekOnLoad = (el: HTMLVideoElement) => {
    const at = seekTo();
    if (at === null) return;
    const go = () => {
      el.currentTime = at;
      setTime(at);
      el.scrollIntoView({ block: 'center' });
    };
    if (el.readyState >= 1) go();
    else el.addEventListener('loadedmetadata', go, { once: true });
  };

  return (
    <figure class="player">
      <figcaption>{props.label}</figcaption>
      <Show
        when={props.take.clip}
        fallback={<div class="video-placeholder">No clip ({props.take.status}).</div>}
      >
        <video
          ref={(el) => {
            video = el;
            props.onVideo?.(el);
            seekOnLoad(el);
          }}
          src={api.assetUrl(props.take.clip!)}
          controls={props.controls ?? true}
          muted={props.controls === false}
          playsinline
          preload={props.controls === false ? 'auto' : 'metadata'}
          aria-label={`${props.label} video`}
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        />
      </Show>
      <ul class="comments" aria-label={`Comments on ${props.label}`}>
        <For each={comments()}>
          {(c) => (
            <li classList={{ resolved: c.resolved, 'comment-target': b.jump()?.commentId === c.id }} data-comment-id={c.id}>
              <button type="button" class="link" aria-label={`Go to ${fmt(c.atSec ?? 0)}`} onClick={() => video && (video.currentTime = c.atSec ?? 0)}>
                {fmt(c.atSec ?? 0)}
              </button>{' '}
              <Show
                when={c.removedBy === undefined}
                fallback={
                  <span class="comment-removed" data-comment-removed={c.id}>
                    Comment by <By c={c} /> removed by {author(c.removedBy!)}{' '}
                    <time dateTime={c.removedAt} title={c.removedAt && exactTime(c.removedAt)}>
                      {c.removedAt ? ago(c.removedAt, now()) : ''}
                    </time>
                  </span>
                }
              >
                <strong data-comment-author>
                  <By c={c} />
                </strong>
                : <MentionText text={c.text} mentions={c.mentions} people={b.members()} me={b.me.id} />
                <Show when={canResolve(c)}>
                  <button type="button" class="link" onClick={() => b.edit((doc) => resolveComment(doc, c.id, !c.resolved), 'commenter')}>
                    {c.resolved ? 'Reopen' : 'Resolve'}
                  </button>
                </Show>
                <Show when={canDelete(c)}>
                  <button
                    type="button"
                    class="link"
                    aria-label={c.author === b.me.id ? `Delete your comment at ${fmt(c.atSec ?? 0)}` : `Remove ${c.guestName ? `guest ${c.guestName}` : author(c.author)}'s comment at ${fmt(c.atSec ?? 0)}`}
                    title={c.author === b.me.id ? undefined : 'Removed for everyone; the board keeps a note of who removed it'}
                    onClick={() => b.edit((doc) => deleteComment(doc, c.id), 'commenter')}
                  >
                    {c.author === b.me.id ? 'Delete' : 'Remove'}
                  </button>
                </Show>
                <NoteTakes comment={c} />
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={b.canComment()}>
        <MentionInput
          members={teammates()}
          label={`Comment on ${props.label} at ${fmt(time())}`}
          placeholder={`Comment at ${fmt(time())} (@ to mention)`}
          submitLabel="Comment"
          onSubmit={add}
        />
      </Show>
    </figure>
  );
}
