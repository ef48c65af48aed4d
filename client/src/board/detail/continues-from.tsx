import { For, Show } from 'solid-js';
import { setShotFields, type ShotView } from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { AssetThumb } from '../assets/upload-zone';
import { inheritedTail } from './request';

/** "Continues from": the shot whose selected take's tail is attached to this one automatically. */
export function ContinuesFrom(props: { shot: ShotView }) {
  const b = useBoard();
  const label = (id: string) => {
    const i = b.state.shots.findIndex((s) => s.id === id);
    const s = b.state.shots[i];
    return s ? `Shot ${i + 1}${s.title ? `: ${s.title}` : ''}` : 'a deleted shot';
  };
  const tail = () => inheritedTail(b.state, props.shot);
  return (
    <fieldset class="continues">
      <legend>Continues from</legend>
      <select
        aria-label="Continues from"
        disabled={!b.canEdit()}
        onChange={(e) => b.edit((doc) => setShotFields(doc, props.shot.id, { continuesFrom: e.currentTarget.value || null }))}
      >
        <option value="" selected={!props.shot.continuesFrom}>
          Nothing (a fresh start)
        </option>
        <For each={b.state.shots.filter((s) => s.id !== props.shot.id)}>
          {(s) => (
            <option value={s.id} selected={s.id === props.shot.continuesFrom}>
              {label(s.id)}
            </option>
          )}
        </For>
      </select>
      <Show when={props.shot.continuesFrom}>
        {(from) => (
          <div class="tail">
            <Show when={tail()} fallback={<p class="muted">{label(from())} has no selected take yet; its tail attaches once one is selected.</p>}>
              {(t) => (
                <>
                  <AssetThumb assetId={t()} alt={`Tail of ${label(from())}`} />
                  <span class="muted">Tail of {label(from())}'s selected take is attached.</span>
                </>
              )}
            </Show>
            <Show when={props.shot.stale}>
              <p class="warn">The source shot picked a different take since this one was made: regenerate to match.</p>
            </Show>
          </div>
        )}
      </Show>
    </fieldset>
  );
}
