import { Show } from 'solid-js';
import { useBoard } from '../board-context';
import { CHAIN_MARK } from '../chain';

/**
 * "continues from #N" with the chain's mark (stale, upstream stale, kept anyway) for one shot;
 * nothing for a shot that continues from none. Used by the shot list row; fits the Sequence too.
 * `data-chain-state` carries the state for styling and tests.
 */
export function ChainBadge(props: { shotId: string; class?: string }) {
  const b = useBoard();
  const chain = () => b.chains().get(props.shotId);
  return (
    <Show when={chain()?.upstream}>
      {(up) => (
        <span
          class={`chain-badge ${props.class ?? ''}`}
          data-chain-state={chain()!.state}
          title={`Continues from shot ${up().position}${CHAIN_MARK[chain()!.state] ? `: ${CHAIN_MARK[chain()!.state]}` : ''}`}
        >
          <span class="chain-from">continues from #{up().position}</span>
          <Show when={CHAIN_MARK[chain()!.state]}>{(mark) => <span class="chain-mark">{mark()}</span>}</Show>
        </span>
      )}
    </Show>
  );
}

/** A shot's chain state for a `data-chain-state` attribute ('unchained' when it continues from none). */
export function useChainState(shotId: () => string) {
  const b = useBoard();
  return () => b.chains().get(shotId())?.state ?? 'unchained';
}
