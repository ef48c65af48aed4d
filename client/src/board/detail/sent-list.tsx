import { For, Show } from 'solid-js';
import type { TakeSent } from '../../../../shared/doc';
import { useApi } from '../../api/context';

const FRAME_NAMES = { first: 'Start frame', last: 'End frame' } as const;
const TAIL_AS = { start_frame: 'as the start frame (its last frame)', reference_video: 'as a reference clip', extend: 'extended by the model itself' } as const;

type SentAs = TakeSent['references'][number]['assets'][number]['as'];

/** A small picture of a sent file: the image itself, a clip's poster, or a note for a sound (which has no picture). */
function Still(props: { assetId: string; clip?: boolean; audio?: boolean; alt: string }) {
  const api = useApi();
  if (props.audio) {
    return (
      <span class="sent-still sent-audio" role="img" aria-label={props.alt}>
        ♪
      </span>
    );
  }
  return <img class="sent-still" src={props.clip ? api.posterUrl(props.assetId) : api.assetUrl(props.assetId)} alt={props.alt} loading="lazy" />;
}

/**
 * What a generation sends (frames, the chained tail, references at their versions) and what it
 * leaves out with the reason. The same list before queueing (the shot's plan) and after (TAKE.sent).
 */
export function SentList(props: { sent: TakeSent; tailFrom?: string; verb: 'sends' | 'sent' }) {
  const nothing = () => props.sent.frames.length === 0 && props.sent.references.length === 0 && !props.sent.tail;
  return (
    <div class="sent">
      <ul class="sent-items" data-send="will" aria-label={props.verb === 'sends' ? 'Will send' : 'Sent'}>
        <Show when={nothing()}>
          <li class="muted">The prompt only: no frames or references.</li>
        </Show>
        <Show when={props.sent.tail}>
          {(t) => (
            <li>
              <span class="sent-stills">
                {/* Takes from before last-frame stills name the tail clip itself: show its poster. */}
                <Show when={t().frameAssetId}>{(f) => <Still assetId={f()} clip={f() === t().assetId} alt="Last frame of the chained tail" />}</Show>
              </span>
              <span>
                Tail{props.tailFrom ? ` of ${props.tailFrom}` : ''} ({t().seconds} s) {TAIL_AS[t().as]}
              </span>
            </li>
          )}
        </Show>
        <For each={props.sent.frames}>
          {(f) => (
            <li>
              <span class="sent-stills">
                <Still assetId={f.assetId} alt={FRAME_NAMES[f.role]} />
              </span>
              <span>{FRAME_NAMES[f.role]}</span>
            </li>
          )}
        </For>
        <For each={props.sent.references}>
          {(r) => (
            <li>
              <span class="sent-stills">
                <For each={r.assets}>{(a) => <Still assetId={a.assetId} clip={a.as === 'clip'} audio={a.as === 'audio'} alt={`${r.name}: ${a.as}`} />}</For>
              </span>
              <span>
                <span class={`kind kind-${r.kind}`}>{r.kind}</span> {r.name}
                <Show when={r.from === 'bible'}>
                  {' '}
                  <span class="from-bible" title="From the board's continuity bible">bible</span>
                </Show>
                <span class="muted">
                  {' '}
                  · {r.beat || 'untitled beat'} ({r.pinned ? 'pinned' : 'current'}) · {counts(r.assets)}
                </span>
                {/* Where each file lands on the model: its slot among files of its kind, and its prompt tag. */}
                <Show when={r.assets.some((a) => a.slot)}>
                  <span class="sent-slots">
                    <For each={r.assets}>
                      {(a) => (
                        <span class="slot-chip" data-slot={`${a.as}-${a.slot}`}>
                          {a.as} slot {a.slot}
                          {a.tag ? ` · ${a.tag}` : ''}
                        </span>
                      )}
                    </For>
                  </span>
                </Show>
              </span>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.sent.left.length > 0}>
        <p class="sent-left-head">Left out</p>
        <ul class="sent-left" data-send="left" aria-label="Left out">
          <For each={props.sent.left}>
            {(l) => (
              <li>
                <strong>{l.what}</strong>: {l.why}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

const NOUNS: Record<SentAs, readonly [string, string]> = { image: ['image', 'images'], clip: ['clip', 'clips'], audio: ['audio file', 'audio files'] };

/** "1 image, 2 clips, 1 audio file": each kind sent, in that order; kinds with none are not named. */
function counts(assets: TakeSent['references'][number]['assets']): string {
  return (['image', 'clip', 'audio'] as const)
    .map((as) => [as, assets.filter((a) => a.as === as).length] as const)
    .filter(([, n]) => n > 0)
    .map(([as, n]) => `${n} ${NOUNS[as][n === 1 ? 0 : 1]}`)
    .join(', ');
}
