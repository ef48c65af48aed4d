import { createSignal, For, Show } from 'solid-js';
import type { GuestBoardView, GuestComment, GuestShot } from '../../../shared/review-links';
import { useApi } from '../api/context';
import { GuestSequence } from './guest-sequence';
import { GuestTakeReview } from './guest-take';

/**
 * The review a guest sees: the sequence on top, then every shot with its finished takes; the take
 * chosen (each shot's selected take at first) opens under its shot with its comments and the
 * comment box. Works as one column on a phone.
 */
export function GuestReview(props: { view: GuestBoardView; onCommented: (c: GuestComment) => void }) {
  const api = useApi();
  // The take open under each shot: the guest's pick, else the shot's selected take, else its newest.
  const [picked, setPicked] = createSignal<Record<string, string>>({});
  const openTake = (shot: GuestShot) => {
    const id = picked()[shot.id] ?? shot.selectedTake;
    return shot.takes.find((t) => t.id === id) ?? shot.takes[shot.takes.length - 1];
  };
  const commentsOn = (takeId: string) => props.view.comments.filter((c) => c.takeId === takeId);

  return (
    <main class="guest-review">
      <header class="guest-head">
        <div>
          <span class="muted">Review</span>
          <h1>{props.view.board.title || 'Untitled board'}</h1>
        </div>
        <p class="guest-you">
          You: <strong>{props.view.you.name}</strong> <span class="guest-badge">guest</span>
          <span class="muted"> · link works until {new Date(props.view.you.expiresAt).toLocaleString()}</span>
        </p>
      </header>
      <Show when={props.view.readOnly}>
        <p class="notice" role="status">
          This board is archived: you can watch, but comments are closed.
        </p>
      </Show>
      <section aria-label="Sequence">
        <h2>Sequence</h2>
        <GuestSequence plan={props.view.plan} aspectRatio={props.view.board.aspectRatio} clipUrl={api.guestAssetUrl} />
      </section>
      <section aria-label="Shots" class="guest-shots">
        <h2>Shots</h2>
        <For each={props.view.shots}>
          {(shot) => (
            <article class="guest-shot" data-shot-id={shot.id}>
              <h3>
                <span class="guest-shot-num">{shot.number}</span> {shot.title || 'Untitled'}
              </h3>
              <Show when={shot.takes.length > 0} fallback={<p class="muted">No finished takes yet.</p>}>
                <div class="guest-take-tabs" role="group" aria-label={`Takes of shot ${shot.number}`}>
                  <For each={shot.takes}>
                    {(take) => (
                      <button
                        type="button"
                        classList={{ active: openTake(shot)?.id === take.id }}
                        aria-pressed={openTake(shot)?.id === take.id}
                        onClick={() => setPicked({ ...picked(), [shot.id]: take.id })}
                      >
                        Take {take.number ?? ''}
                        <Show when={take.id === shot.selectedTake}> · in the cut</Show>
                        <Show when={commentsOn(take.id).length}>{(n) => <> · {n()} {n() === 1 ? 'comment' : 'comments'}</>}</Show>
                      </button>
                    )}
                  </For>
                </div>
                <Show when={openTake(shot)} keyed>
                  {(take) => (
                    <GuestTakeReview shot={shot} take={take} comments={commentsOn(take.id)} canComment={!props.view.readOnly} onCommented={props.onCommented} />
                  )}
                </Show>
              </Show>
            </article>
          )}
        </For>
      </section>
    </main>
  );
}
