import { For } from 'solid-js';
import type { SequencePlan } from '../../../../shared/sequence/plan';
import type { SequencePlayer } from './sequence-player';

/**
 * The three <video> elements a sequence player takes turns with (sequence-player.ts): the cut on
 * screen fades in over the one before it. Used by the Sequence tab and the guest review page.
 */
export function SequenceVideos(props: { player: SequencePlayer; plan: SequencePlan; videos: HTMLVideoElement[]; slate: boolean }) {
  return (
    <For each={[0, 1, 2]}>
      {(slot) => {
        const held = () => props.player.slotCut()[slot] ?? -1;
        const incoming = () => held() === props.player.current() && !props.slate;
        const outgoing = () => held() === props.player.current() - 1 && props.player.fade() < 1;
        return (
          <video
            ref={(el) => (props.videos[slot] = el)}
            class="seq-video"
            classList={{ shown: incoming() || outgoing() }}
            style={{ opacity: incoming() ? props.player.fade() : outgoing() ? 1 : 0, 'z-index': incoming() ? 2 : 1 }}
            data-slot={slot}
            data-cut-index={held()}
            data-shot-id={held() >= 0 ? props.plan.cuts[held()]?.shotId : undefined}
            playsinline
            aria-hidden={!(incoming() || outgoing())}
          />
        );
      }}
    </For>
  );
}
