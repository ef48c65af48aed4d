/**
 * The chain state of every shot, computed once per board from the store (shared/doc/chain.ts,
 * the rule the server and the exports use) and the words that explain it to a person.
 */
import { createMemo, type Accessor } from 'solid-js';
import { chainOf, type ChainState, type ShotChain } from '../../../shared/doc';
import type { BoardState } from './doc-bridge';

export type Chains = Accessor<ReadonlyMap<string, ShotChain>>;

/** Re-judged when a selection, a link, a keep-anyway record or a take's tail fields change; not on typing. */
export function createChains(state: BoardState): Chains {
  return createMemo(() =>
    chainOf(state.shots.map((s) => ({ id: s.id, continuesFrom: s.continuesFrom, selectedTake: s.selectedTake, staleAccepted: s.staleAccepted, takes: state.takes[s.id] ?? [] }))),
  );
}

/** The short mark shown next to "continues from #N" ('' for a fresh or unchained shot). */
export const CHAIN_MARK: Record<ChainState, string> = {
  unchained: '',
  'no-take': '',
  fresh: '',
  stale: 'stale',
  accepted: 'kept anyway',
  'upstream-stale': 'upstream stale',
};

const take = (n: number | undefined) => (n ? `take #${n}` : 'a take');

/** Why a shot has its chain state, in a sentence or two. */
export function chainWhy(c: ShotChain, who: (userId: string) => string, when: (iso: string) => string): string {
  const up = c.upstream;
  if (!up) return '';
  const shot = `shot ${up.position}`;
  const made = c.madeFrom?.takeId ? `made from ${take(c.madeFrom.takeNumber)} of ${shot}` : `made without ${shot}'s tail`;
  const now = up.takeId ? `${shot} now uses ${take(up.takeNumber)}` : `${shot} has no selected take now`;
  switch (c.state) {
    case 'no-take':
      return up.takeId ? `No take yet: the next one continues ${take(up.takeNumber)} of ${shot}.` : `No take yet, and ${shot} has no selected take to continue.`;
    case 'fresh':
      return up.takeId ? `Up to date: ${made}, which ${shot} still uses.` : `Up to date: ${made}, and ${shot} has no selected take either.`;
    case 'stale':
      return `Stale: this take was ${made}, but ${now}. Generate again to continue it, or keep it anyway.`;
    case 'accepted':
      return `Kept anyway by ${who(c.accepted!.by)}, ${when(c.accepted!.at)}: this take was ${made}, and ${now}.`;
    case 'upstream-stale':
      return `Upstream stale: shot ${c.staleAt} further up this chain no longer continues the shot before it. This shot follows it as it is.`;
    default:
      return '';
  }
}
