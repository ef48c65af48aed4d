import { createMemo, createSignal, For, Show } from 'solid-js';
import type { ShotView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { useBoard } from '../board-context';
import { ExportPanel } from './export-panel';

interface Segment {
  shot: ShotView;
  index: number;
  clip?: string;
  durationSec: number;
}

/**
 * Chains (shots linked by "continues from") played back to back as one continuous take, with the
 * cuts marked on a timeline (a chain starts at a shot that continues from nothing); below, the
 * board's exports.
 */
export default function SequenceView() {
  const b = useBoard();
  const api = useApi();
  const chains = createMemo(() => {
    const shots = b.state.shots;
    const next = new Map<string, ShotView[]>();
    for (const s of shots) if (s.continuesFrom) next.set(s.continuesFrom, [...(next.get(s.continuesFrom) ?? []), s]);
    const out: Segment[][] = [];
    for (const head of shots.filter((s) => !s.continuesFrom && next.has(s.id))) {
      const chain: Segment[] = [];
      const seen = new Set<string>();
      for (let cur: ShotView | undefined = head; cur && !seen.has(cur.id); cur = next.get(cur.id)?.[0]) {
        seen.add(cur.id);
        const take = b.state.takes[cur.id]?.find((t) => t.id === cur!.selectedTake);
        chain.push({ shot: cur, index: shots.indexOf(cur), clip: take?.clip, durationSec: take?.durationSec || cur.durationSec });
      }
      out.push(chain);
    }
    return out;
  });

  return (
    <section class="sequence" aria-label="Sequence">
      <div class="chains">
        <Show when={chains().length > 0} fallback={<p class="empty">No chains yet. Set “Continues from” on a shot to chain it after another.</p>}>
          <For each={chains()}>{(chain) => <ChainPlayer chain={chain} playable={b.features.assetsAvailable() === 'yes'} url={api.assetUrl} />}</For>
        </Show>
      </div>
      <ExportPanel />
    </section>
  );
}

function ChainPlayer(props: { chain: Segment[]; playable: boolean; url: (id: string) => string }) {
  const [at, setAt] = createSignal(0);
  const total = () => props.chain.reduce((s, seg) => s + seg.durationSec, 0);
  const startOf = (i: number) => props.chain.slice(0, i).reduce((s, seg) => s + seg.durationSec, 0);
  const missing = () => props.chain.filter((s) => !s.clip).length;
  const current = () => props.chain[at()];
  const advance = () => {
    for (let i = at() + 1; i < props.chain.length; i++) if (props.chain[i]!.clip) return setAt(i);
  };
  return (
    <article class="chain" aria-label={`Chain starting at shot ${props.chain[0]!.index + 1}`}>
      <h3>
        Shots {props.chain.map((s) => s.index + 1).join(' → ')} <span class="muted">({total()} s)</span>
      </h3>
      <Show when={props.playable && current()?.clip} fallback={<div class="video-placeholder">{missing() > 0 ? `${missing()} shot(s) have no selected take yet.` : 'Playback needs the assets API (not available yet).'}</div>}>
        <video src={props.url(current()!.clip!)} controls autoplay={at() > 0} onEnded={advance} aria-label="Sequence playback" />
      </Show>
      <div class="timeline" role="list" aria-label="Cuts">
        <For each={props.chain}>
          {(seg, i) => (
            <button
              type="button"
              role="listitem"
              class="segment"
              classList={{ playing: i() === at(), missing: !seg.clip }}
              style={{ left: `${(startOf(i()) / total()) * 100}%`, width: `${(seg.durationSec / total()) * 100}%` }}
              aria-label={`Shot ${seg.index + 1}, cut at ${startOf(i())} s${seg.clip ? '' : ', no take'}`}
              onClick={() => setAt(i())}
            >
              {seg.index + 1}
            </button>
          )}
        </For>
      </div>
    </article>
  );
}
