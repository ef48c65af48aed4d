import { createSignal, For, Show } from 'solid-js';
import { setShotFields, type ShotView, type TakeView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import { chainWhy } from '../chain';

/**
 * "Continues from": the shot whose selected take's tail is attached to this one automatically,
 * stills of that tail, and whether this shot's take still continues it (with Keep anyway).
 */
export function ContinuesFrom(props: { shot: ShotView }) {
  const b = useBoard();
  const label = (id: string) => {
    const i = b.state.shots.findIndex((s) => s.id === id);
    const s = b.state.shots[i];
    return s ? `Shot ${i + 1}${s.title ? `: ${s.title}` : ''}` : 'a deleted shot';
  };
  const source = () => b.state.shots.find((s) => s.id === props.shot.continuesFrom);
  const sourceTake = () => {
    const s = source();
    return s ? b.state.takes[s.id]?.find((t) => t.id === s.selectedTake) : undefined;
  };
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
      <Show when={source()}>
        {(from) => (
          <div class="tail">
            <ChainState shotId={props.shot.id} />
            <Show when={sourceTake()} fallback={<p class="muted">{label(from().id)} has no selected take yet; its tail attaches once one is selected.</p>}>
              {(t) => (
                <Show when={t().tail} fallback={<p class="muted">{label(from().id)}'s selected take is {t().status}: it has no tail to attach yet.</p>}>
                  <TailStills take={t()} of={label(from().id)} />
                  <span class="muted">Tail of {label(from().id)}'s selected take is attached.</span>
                </Show>
              )}
            </Show>
          </div>
        )}
      </Show>
    </fieldset>
  );
}

/**
 * Stills of the tail a shot inherits: the tail's first frame and the clip's last frame (written
 * by the server when the take finished), or the poster of a take made before those existed.
 * Image assets only: a tail is an MP4, which an <img> cannot show.
 */
function TailStills(props: { take: TakeView; of: string }) {
  const b = useBoard();
  const api = useApi();
  const stills = () => {
    const t = props.take;
    const out: { id: string; what: string }[] = [];
    if (t.tailStart) out.push({ id: t.tailStart, what: 'tail starts' });
    if (t.lastFrame) out.push({ id: t.lastFrame, what: 'last frame' });
    if (out.length === 0 && t.poster) out.push({ id: t.poster, what: 'poster' });
    return out;
  };
  return (
    <Show when={stills().length > 0}>
      <div class="tail-stills">
        <For each={stills()}>
          {(s) => (
            <figure>
              <img src={api.assetUrl(s.id)} alt={`${props.of}, ${s.what}`} />
              <figcaption>{s.what}</figcaption>
            </figure>
          )}
        </For>
      </div>
    </Show>
  );
}

/** The chain state in words, and Keep anyway for editors while the shot is stale. */
function ChainState(props: { shotId: string }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [busy, setBusy] = createSignal(false);
  const chain = () => b.chains().get(props.shotId);
  const who = (userId: string) => (userId === b.me.id ? 'you' : b.members().find((m) => m.userId === userId)?.name ?? 'a former member');
  const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const keep = async () => {
    const c = chain();
    if (!c) return;
    setBusy(true);
    try {
      await api.keepAnyway(b.boardId, props.shotId, { takeId: c.takeId, upstreamTakeId: c.upstream?.takeId });
    } catch (err) {
      toast.show(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={chain()?.upstream}>
      <div class="chain-state" data-chain-state={chain()!.state} role="status" aria-label="Chain state">
        <p>{chainWhy(chain()!, who, when)}</p>
        <Show when={chain()!.state === 'stale' && b.canEdit()}>
          <button type="button" disabled={busy()} onClick={() => void keep()}>
            Keep anyway
          </button>
        </Show>
      </div>
    </Show>
  );
}
