import { createSignal, For, Show } from 'solid-js';
import { selectTake, setShotFields, type ShotView, type TakeView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { usd } from '../../ui/format';
import { useBoard } from '../board-context';
import { TakePlayer } from './take-player';

/**
 * The takes of one shot, newest last, with live status from the document (the server writes
 * takes) and queue position / progress from the jobs API when it exists.
 */
export function TakesStrip(props: { shot: ShotView }) {
  const b = useBoard();
  const api = useApi();
  const takes = () => b.state.takes[props.shot.id] ?? [];
  const [open, setOpen] = createSignal<string[]>([]);
  // Live progress comes over SSE; the job list fills in the queue position on first load.
  const live = (t: TakeView) => b.features.progress()[t.id];
  const queuePos = (t: TakeView) => live(t)?.queuePosition ?? b.features.jobs().find((j) => j.id === t.jobId || j.takeId === t.id)?.queuePosition;
  const toggle = (id: string) => setOpen((o) => (o.includes(id) ? o.filter((x) => x !== id) : [...o.slice(-1), id]));
  const approve = (t: TakeView) =>
    b.edit((doc) => {
      selectTake(doc, props.shot.id, t.id);
      setShotFields(doc, props.shot.id, { status: 'approved' });
    });
  const poster = (t: TakeView) => (b.features.assetsAvailable() !== 'yes' ? undefined : t.poster ? api.assetUrl(t.poster) : t.clip ? api.posterUrl(t.clip) : undefined);

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
          {(t, i) => (
            <li class={`take take-${t.status}`} classList={{ chosen: t.id === props.shot.selectedTake }} aria-label={`Take ${i() + 1}: ${t.status}`}>
              <button type="button" class="take-thumb" aria-label={`Open take ${i() + 1}`} aria-pressed={open().includes(t.id)} onClick={() => toggle(t.id)}>
                <Show when={poster(t)} fallback={<span class="thumb-status">{t.status}</span>}>
                  {(src) => <img src={src()} alt="" loading="lazy" />}
                </Show>
              </button>
              <div class="take-meta">
                <span class="take-status">{t.status}</span>
                <Show when={t.status === 'queued' && queuePos(t) !== undefined}>
                  <span> · #{queuePos(t)} in queue</span>
                </Show>
                <Show when={t.status === 'running'}>
                  <Show when={live(t)?.progress !== undefined} fallback={<progress aria-label={`Progress of take ${i() + 1}`} />}>
                    <progress max="1" value={live(t)!.progress!} aria-label={`Progress of take ${i() + 1}`} />
                  </Show>
                </Show>
                <Show when={t.status === 'failed' && t.error}>
                  <span class="form-error"> {t.error}</span>
                </Show>
                <span class="muted">
                  {' '}
                  {t.model} · {t.durationSec}s · {usd(t.costUsd)}
                </span>
              </div>
              <Show when={b.canEdit() && t.status === 'succeeded'}>
                <div class="take-actions">
                  <button type="button" disabled={t.id === props.shot.selectedTake} onClick={() => b.edit((doc) => selectTake(doc, props.shot.id, t.id))}>
                    {t.id === props.shot.selectedTake ? 'Selected' : 'Select'}
                  </button>
                  <button type="button" onClick={() => approve(t)}>
                    Approve
                  </button>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={open().length > 0}>
        <div class="players" classList={{ compare: open().length === 2 }} aria-label={open().length === 2 ? 'Compare takes' : 'Take player'}>
          <For each={open()}>
            {(id) => (
              <Show when={takes().find((t) => t.id === id)}>
                {(t) => <TakePlayer shotId={props.shot.id} take={t()} label={`Take ${takes().indexOf(t()) + 1}`} />}
              </Show>
            )}
          </For>
        </div>
        <p class="muted">Open a second take to compare side by side.</p>
      </Show>
    </section>
  );
}
