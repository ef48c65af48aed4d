import { createSignal, Match, Show, Switch } from 'solid-js';
import { SEAM_THRESHOLD, type SeamView } from '../../../../shared/seams';
import { useApi } from '../../api/context';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import type { Seams } from './seams';

/**
 * The seam of the chained cut into one shot, on its row in the Sequence: the score (with the
 * reasons when it is under the threshold), "not scored" with why, or "scoring". A bad seam offers
 * "Regenerate downstream": one new take of this shot through the ordinary generate route (priced
 * and budget-checked like any), continuing from the upstream take selected now.
 */
export function SeamBadge(props: { shotId: string; seams: Seams }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [queued, setQueued] = createSignal<string | null>(null);
  const chain = () => b.chains().get(props.shotId);
  // Only the seam of the pair the board shows now: a reply about an older pairing reads as scoring.
  const seam = (): SeamView | undefined => {
    const c = chain();
    if (!c?.upstream?.takeId || !c.takeId) return undefined;
    const s = props.seams.of(props.shotId);
    return s && s.upstreamTakeId === c.upstream.takeId && s.downstreamTakeId === c.takeId ? s : { upstreamShotId: c.upstream.shotId, downstreamShotId: props.shotId, upstreamTakeId: c.upstream.takeId, downstreamTakeId: c.takeId, status: 'pending' };
  };
  const regenerate = async () => {
    const shot = b.state.shots.find((s) => s.id === props.shotId);
    if (!shot) return;
    setQueued('…');
    try {
      await api.generate(b.boardId, shot.id, { model: shot.model, idempotencyKey: crypto.randomUUID() });
      setQueued(seam()?.downstreamTakeId ?? '');
      toast.show(`Queued a new take of "${shot.title || 'Untitled'}"; select it once it is done`);
      void b.queue.reload();
    } catch (err) {
      setQueued(null);
      toast.show(errorText(err), 'error');
    }
  };
  return (
    <Show when={seam()}>
      {(s) => (
        <div class="seam" data-seam-status={s().status} data-seam-shot-id={props.shotId} data-seam-bad={s().status === 'scored' && (s() as { bad: boolean }).bad ? 'true' : 'false'}>
          <Switch>
            <Match when={s().status === 'scored' && (s() as Extract<SeamView, { status: 'scored' }>)}>
              {(sc) => (
                <>
                  <span
                    class="seam-badge"
                    classList={{ bad: sc().bad }}
                    role="status"
                    title={`Seam from shot ${chain()?.upstream?.position ?? ''}: SSIM ${sc().ssim}, colour distance ${sc().colourDistance}, motion agreement ${sc().motion} (flagged under ${props.seams.load.value()?.threshold ?? SEAM_THRESHOLD})`}
                  >
                    {sc().bad ? 'Bad seam' : 'Seam holds'} {sc().score.toFixed(2)}
                    <Show when={sc().bad && sc().reasons.length > 0}>: {sc().reasons.join(', ')}</Show>
                    <Show when={sc().bad && sc().reasons.length === 0}>: weak continuity overall</Show>
                  </span>
                  <Show when={sc().bad && b.canEdit()}>
                    <button type="button" class="seam-regenerate" disabled={queued() !== null} onClick={() => void regenerate()}>
                      {queued() === null ? 'Regenerate downstream' : queued() === '…' ? 'Queuing…' : 'New take queued'}
                    </button>
                  </Show>
                </>
              )}
            </Match>
            <Match when={s().status === 'not-scored' && (s() as Extract<SeamView, { status: 'not-scored' }>)}>
              {(ns) => <span class="seam-badge muted">Seam not scored: {ns().why}</span>}
            </Match>
            <Match when={s().status === 'pending' && props.seams.load.status() !== 'failed'}>
              <span class="seam-badge muted">Scoring seam…</span>
            </Match>
          </Switch>
        </div>
      )}
    </Show>
  );
}
