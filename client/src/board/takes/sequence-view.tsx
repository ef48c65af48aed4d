import { createEffect, createMemo, For, on, onMount, Show } from 'solid-js';
import { planSequence, slateLabel, type PlanCut, type SequencePlan } from '../../../../shared/sequence/plan';
import { timecode } from '../../../../shared/sequence/rate';
import { useApi } from '../../api/context';
import { useBoard } from '../board-context';
import { ExportPanel } from './export-panel';
import { createSequencePlayer } from './sequence-player';
import { SequenceVideos } from './sequence-videos';
import { ChainBadge } from '../shots/chain-badge';
import { LoadFailed } from '../../ui/load-failed';
import { SeamBadge } from './seam-badge';
import { createSeams } from './seams';
import { LeftOutShots, TimelineImport } from './timeline-import';

/**
 * The whole board as one sequence, exactly as it exports: the shared plan (every shot in order,
 * its selected take or a slate, trims and crossfades from the board's settings) played in one
 * player, a timeline of every cut to jump to (a chained cut with its seam score, seam-badge.tsx),
 * and below, the exports built from the same plan.
 */
export default function SequenceView() {
  const b = useBoard();
  // Re-planned on every board change, but only a different plan reaches the player.
  const plan = createMemo(() => planSequence(b.state), undefined, { equals: (x, y) => JSON.stringify(x) === JSON.stringify(y) });
  return (
    <section class="sequence" aria-label="Sequence">
      <SequencePlayerView plan={plan()} />
      <div class="seq-side">
        <Show when={b.canEdit()}>
          <TimelineImport />
        </Show>
        <ExportPanel />
      </div>
    </section>
  );
}

/** hh:mm:ss:ff at the plan's rate: all four parts, as editors read it (mm:ss:ff reads as h:m:s). */
function SequencePlayerView(props: { plan: SequencePlan }) {
  const b = useBoard();
  const api = useApi();
  const videos: HTMLVideoElement[] = [];
  const plan = () => props.plan;
  const player = createSequencePlayer(plan, () => videos, api.assetUrl);
  const seams = createSeams(api, b.boardId, b.chains);
  const fps = () => plan().rate.num / plan().rate.den;
  const nowFrames = () => Math.round(player.time() * fps());
  const total = () => Math.max(1, plan().frames);
  const cut = () => plan().cuts[player.current()];
  const slate = () => {
    const c = cut();
    return c?.kind === 'slate' ? c : null;
  };
  onMount(() => player.seek(0));
  createEffect(on(plan, () => player.replan(), { defer: true }));

  const aspect = () => b.state.meta.aspectRatio.replace(':', ' / ');
  const jump = (c: PlanCut) => player.seek(c.recordIn / fps());
  const barClick = (e: MouseEvent & { currentTarget: HTMLElement }) => {
    const r = e.currentTarget.getBoundingClientRect();
    player.seek(((e.clientX - r.left) / r.width) * (plan().frames / fps()));
  };

  return (
    <article
      class="seq-player"
      aria-label="Sequence player"
      data-total-frames={plan().frames}
      data-fps={fps()}
      data-current-cut={player.current()}
      data-playing={player.playing() ? 'true' : 'false'}
    >
      <div class="seq-screen" style={{ 'aspect-ratio': aspect() }}>
        <SequenceVideos player={player} plan={plan()} videos={videos} slate={!!slate()} />
        <Show when={slate()}>
          {(s) => (
            <div class="seq-slate" data-slate-shot-id={s().shotId} role="img" aria-label={`${slateLabel(s())}: ${s().reason}`}>
              <strong>{slateLabel(s())}</strong>
              <span>{s().reason}</span>
            </div>
          )}
        </Show>
        <Show when={plan().cuts.length === 0}>
          <div class="seq-slate">
            <span>No shots yet. Add shots on the Shots tab; each plays here in order, as a slate until it has a take.</span>
          </div>
        </Show>
      </div>
      <div class="seq-controls">
        <button type="button" class="primary" disabled={plan().cuts.length === 0} onClick={() => (player.playing() ? player.pause() : player.play())}>
          {player.playing() ? 'Pause' : 'Play'}
        </button>
        <span class="seq-time" aria-label={`At ${timecode(nowFrames(), plan().rate)} of ${timecode(plan().frames, plan().rate)}`} data-time-frames={nowFrames()}>
          {timecode(nowFrames(), plan().rate)} <span class="muted">/ {timecode(plan().frames, plan().rate)}</span>
        </span>
        <span class="muted seq-settings">
          {plan().options.trimOverlap ? 'overlap trimmed' : 'untrimmed'} · {plan().options.crossfadeSec > 0 ? `${plan().options.crossfadeSec} s crossfades at chain cuts` : 'hard cuts'}
          <Show when={plan().cuts.filter((c) => c.kind === 'take' && c.trimmed).length}>{(n) => <> · {n()} trimmed in an edit</>}</Show>
        </span>
      </div>
      <div class="seq-bar" role="presentation" onClick={barClick}>
        <For each={plan().cuts}>
          {(c) => (
            <span
              class="seq-bar-cut"
              classList={{ slate: c.kind === 'slate', playing: c.index - 1 === player.current() }}
              style={{ left: `${(c.recordIn / total()) * 100}%`, width: `${(c.frames / total()) * 100}%` }}
            >
              <Show when={c.transition.kind === 'crossfade'}>
                <i class="seq-fade" style={{ width: `${((c.transition.kind === 'crossfade' ? c.transition.frames : 0) / c.frames) * 100}%` }} />
              </Show>
            </span>
          )}
        </For>
        <span class="seq-playhead" style={{ left: `${(nowFrames() / total()) * 100}%` }} />
      </div>
      <LoadFailed load={seams.load} what="the seam scores" />
      <ol class="seq-cuts" aria-label="Cuts">
        <For each={plan().cuts}>
          {(c, i) => (
            <li>
              <button
                type="button"
                class="seq-cut"
                classList={{ playing: i() === player.current(), slate: c.kind === 'slate' }}
                aria-current={i() === player.current() ? 'true' : undefined}
                aria-label={`Cut ${c.index}, ${c.title || 'untitled'}, at ${timecode(c.recordIn, plan().rate)}${c.kind === 'slate' ? `, slate: ${c.reason}` : ''}`}
                data-cut-index={i()}
                data-shot-id={c.shotId}
                data-record-in={c.recordIn}
                data-frames={c.frames}
                data-in-frame={c.inFrame}
                data-trimmed={c.kind === 'take' && c.trimmed ? 'true' : undefined}
                data-kind={c.kind}
                data-transition={c.transition.kind}
                data-transition-frames={c.transition.kind === 'crossfade' ? c.transition.frames : 0}
                onClick={() => jump(c)}
              >
                <span class="seq-cut-num">{c.index}</span>
                <span class="seq-cut-title">{c.title || 'Untitled'}</span>
                <ChainBadge shotId={c.shotId} class="seq-cut-badge" />
                <span class="seq-cut-mark">
                  <Show when={c.transition.kind === 'crossfade' ? c.transition.frames : 0}>
                    {(f) => <span class="seq-cut-fade" title="Crossfade from the previous cut">fade {Math.round((f() / fps()) * 100) / 100} s</span>}
                  </Show>
                  <Show when={c.kind === 'take' && c.trimmed}>
                    <span class="seq-cut-trim" title="In and out points from an accepted edit">trimmed</span>
                  </Show>
                  <span>{c.kind === 'slate' ? 'slate' : c.takeNumber ? `take #${c.takeNumber}` : 'take'}</span>
                </span>
                <span class="seq-cut-time">{timecode(c.recordIn, plan().rate)}</span>
              </button>
              <SeamBadge shotId={c.shotId} seams={seams} />
            </li>
          )}
        </For>
      </ol>
      <LeftOutShots />
    </article>
  );
}
