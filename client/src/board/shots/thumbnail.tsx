import { Match, Switch } from 'solid-js';
import type { ShotView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { useBoard } from '../board-context';

/** The selected take's still, or a placeholder saying why there is none. */
export function Thumbnail(props: { shot: ShotView }) {
  const b = useBoard();
  const api = useApi();
  const take = () => {
    const takes = b.state.takes[props.shot.id] ?? [];
    return takes.find((t) => t.id === props.shot.selectedTake) ?? takes[takes.length - 1];
  };
  const src = () => {
    const t = take();
    if (!t) return undefined;
    if (t.poster) return api.assetUrl(t.poster);
    if (t.clip) return api.posterUrl(t.clip);
    return undefined;
  };
  return (
    <div class="thumb" aria-hidden="true">
      <Switch fallback={<span class="thumb-empty">no take</span>}>
        <Match when={src()}>{(s) => <img src={s()} alt="" loading="lazy" />}</Match>
        <Match when={take()}>{(t) => <span class={`thumb-status take-${t().status}`}>{t().status}</span>}</Match>
      </Switch>
    </div>
  );
}
