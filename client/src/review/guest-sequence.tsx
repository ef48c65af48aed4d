import { createEffect, For, on, onMount, Show } from 'solid-js';
import { slateLabel, type SequencePlan } from '../../../shared/sequence/plan';
import { createSequencePlayer } from '../board/takes/sequence-player';
import { SequenceVideos } from '../board/takes/sequence-videos';

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/**
 * The board's sequence for a guest: the plan the server made (the same one members play and
 * export), played by the members' sequence player over the guest's media URLs, with a list of
 * cuts to jump to. No exports, seams or settings: those are the team's.
 */
export function GuestSequence(props: { plan: SequencePlan; aspectRatio: string; clipUrl: (id: string) => string }) {
  const videos: HTMLVideoElement[] = [];
  const player = createSequencePlayer(() => props.plan, () => videos, props.clipUrl);
  const fps = () => props.plan.rate.num / props.plan.rate.den;
  const total = () => Math.max(1, props.plan.frames);
  const cut = () => props.plan.cuts[player.current()];
  const slate = () => {
    const c = cut();
    return c?.kind === 'slate' ? c : null;
  };
  onMount(() => player.seek(0));
  // The view is polled: only a plan that really changed reloads the player.
  createEffect(on(() => JSON.stringify(props.plan), () => player.replan(), { defer: true }));

  return (
    <article class="seq-player guest-sequence" aria-label="Sequence player" data-playing={player.playing() ? 'true' : 'false'}>
      <div class="seq-screen" style={{ 'aspect-ratio': props.aspectRatio.replace(':', ' / ') }}>
        <SequenceVideos player={player} plan={props.plan} videos={videos} slate={!!slate()} />
        <Show when={slate()}>
          {(s) => (
            <div class="seq-slate" role="img" aria-label={`${slateLabel(s())}: not shot yet`}>
              <strong>{slateLabel(s())}</strong>
              <span>Not shot yet</span>
            </div>
          )}
        </Show>
        <Show when={props.plan.cuts.length === 0}>
          <div class="seq-slate">
            <span>Nothing to watch yet.</span>
          </div>
        </Show>
      </div>
      <div class="seq-controls">
        <button type="button" class="primary" disabled={props.plan.cuts.length === 0} onClick={() => (player.playing() ? player.pause() : player.play())}>
          {player.playing() ? 'Pause' : 'Play'}
        </button>
        <span class="seq-time">
          {clock(player.time())} <span class="muted">/ {clock(props.plan.frames / fps())}</span>
        </span>
      </div>
      <div
        class="seq-bar"
        role="presentation"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          player.seek(((e.clientX - r.left) / r.width) * (props.plan.frames / fps()));
        }}
      >
        <For each={props.plan.cuts}>
          {(c) => (
            <span
              class="seq-bar-cut"
              classList={{ slate: c.kind === 'slate', playing: c.index - 1 === player.current() }}
              style={{ left: `${(c.recordIn / total()) * 100}%`, width: `${(c.frames / total()) * 100}%` }}
            />
          )}
        </For>
        <span class="seq-playhead" style={{ left: `${((player.time() * fps()) / total()) * 100}%` }} />
      </div>
    </article>
  );
}
