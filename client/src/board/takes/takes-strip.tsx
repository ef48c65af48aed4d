import { createSignal, For, Show } from 'solid-js';
import type { ShotView, TakeView } from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { onJump } from '../jump';
import { TakeCard } from './take-card';
import { takeNumber } from './take-number';
import { TakeCompare } from './take-compare';
import { TakePlayer } from './take-player';

/**
 * The takes of one shot, oldest first, with live status from the document (the server writes
 * takes). Playing one take opens its player; playing a second compares the two in sync.
 */
export function TakesStrip(props: { shot: ShotView }) {
  const b = useBoard();
  const takes = () => b.state.takes[props.shot.id] ?? [];
  const [open, setOpen] = createSignal<string[]>([]);
  const toggle = (id: string) => setOpen((o) => (o.includes(id) ? o.filter((x) => x !== id) : [...o.slice(-1), id]));
  // Store objects (stable across updates), so a player is not rebuilt when its take changes.
  const opened = () => open().flatMap((id) => takes().filter((t) => t.id === id));
  const label = (t: TakeView) => `Take ${takeNumber(takes(), takes().indexOf(t))}`;
  // A link to a take of this shot opens its player (which seeks to the linked time).
  onJump(b.jump, (j) => j.shotId === props.shot.id && takes().some((t) => t.id === j.takeId), (j) => setOpen([j.takeId!]));

  return (
    <section class="takes" aria-label="Takes">
      <h3>
        Takes <span class="muted">({takes().length})</span>
      </h3>
      <Show when={takes().length === 0}>
        <p class="muted">No takes yet. Generated clips appear here for everyone as they finish.</p>
      </Show>
      <ol class="take-strip">
        <For each={takes()}>
          {(t, i) => <TakeCard shot={props.shot} take={t} number={takeNumber(takes(), i())} playing={open().includes(t.id)} onPlay={() => toggle(t.id)} />}
        </For>
      </ol>
      <Show when={opened().length === 2} fallback={
        <Show when={opened()[0]}>
          {(o) => (
            <>
              <div class="players" aria-label="Take player">
                <TakePlayer shotId={props.shot.id} take={o()} label={label(o())} />
              </div>
              <p class="muted">Play a second take to compare the two side by side, in sync.</p>
            </>
          )}
        </Show>
      }>
        <TakeCompare shotId={props.shot.id} takes={opened()} label={label} />
      </Show>
    </section>
  );
}
