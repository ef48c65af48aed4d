/**
 * Whether a chained shot still continues what its upstream shot now shows. Computed, never stored:
 * a chained shot is stale exactly while its selected take's `fromTail` (server-written when the
 * take was queued) differs from the `tail` of its upstream shot's selected take, unless the
 * server-written `staleAccepted` ("keep anyway") names exactly this selected take and this
 * upstream tail. Selecting the original upstream take again, generating from the current tail,
 * or keeping anyway therefore each clear the mark without anyone writing it, and a client cannot
 * forge it away (take fields and `staleAccepted` are server-only, see validate.ts).
 * The pure core (`chainOf`) works on plain views, so the client, the server and the exports agree.
 */
import * as Y from 'yjs';
import { listTakes, type TakeView } from './takes.js';
import { shotsInOrder, type StaleAccepted } from './shot-view.js';

/**
 * unchained: continues from nothing (or from a shot that no longer exists).
 * no-take: chained, but no selected take to judge yet.
 * fresh: the selected take was made from the tail the upstream selected take now yields.
 * stale: made from another tail (or none), not kept anyway.
 * accepted: made from another tail, and someone chose "keep anyway" for exactly this pair.
 * upstream-stale: fine itself, but a shot further up its chain is stale.
 */
export const CHAIN_STATES = ['unchained', 'no-take', 'fresh', 'stale', 'accepted', 'upstream-stale'] as const;
export type ChainState = (typeof CHAIN_STATES)[number];

/** The take fields the rule reads. */
export type ChainTake = Pick<TakeView, 'id' | 'number' | 'tail' | 'fromTake' | 'fromTail'>;

/** A shot as the rule reads it; `takes` only need to hold the selected take (others give numbers). */
export interface ChainShot {
  id: string;
  continuesFrom?: string;
  selectedTake?: string;
  staleAccepted?: StaleAccepted;
  takes: readonly ChainTake[];
}

/** One shot's place in its chain. */
export interface ShotChain {
  state: ChainState;
  /** The shot it continues from, with the take it has selected now (absent when unchained). */
  upstream?: { shotId: string; position: number; takeId?: string; takeNumber?: number; tail?: string };
  /** This shot's selected take (absent without one). */
  takeId?: string;
  /** What this shot's selected take was made from (absent without a selected take). */
  madeFrom?: { takeId?: string; takeNumber?: number; tail?: string };
  /** The "keep anyway" record in force: this selected take with the current upstream tail. */
  accepted?: StaleAccepted;
  /** upstream-stale: 1-based position of the nearest stale shot up the chain. */
  staleAt?: number;
}

/** The chain state of every shot of `shots` (board order), keyed by shot id. */
export function chainOf(shots: readonly ChainShot[]): Map<string, ShotChain> {
  const position = new Map(shots.map((s, i) => [s.id, i + 1]));
  const byId = new Map(shots.map((s) => [s.id, s]));
  const own = new Map(shots.map((s) => [s.id, judge(s, byId, position)]));
  // Nearest stale shot up each chain, memoised; a hostile document may hold a loop.
  const staleAbove = new Map<string, string | null>();
  const nearestStaleFrom = (start: string | undefined): string | null => {
    const path = new Set<string>();
    let cur = start;
    let found: string | null = null;
    // A loop, not recursion: a chain may be thousands of shots long.
    while (cur !== undefined && own.has(cur) && !staleAbove.has(cur) && !path.has(cur)) {
      if (own.get(cur)!.state === 'stale') {
        found = cur;
        break;
      }
      path.add(cur);
      cur = byId.get(cur)!.continuesFrom;
    }
    if (found === null && cur !== undefined && staleAbove.has(cur)) found = staleAbove.get(cur)!;
    for (const id of path) staleAbove.set(id, found);
    return found;
  };
  const out = new Map<string, ShotChain>();
  for (const s of shots) {
    const chain = own.get(s.id)!;
    if (chain.state !== 'unchained' && chain.state !== 'stale') {
      const stale = nearestStaleFrom(s.continuesFrom);
      if (stale !== null && stale !== s.id) {
        chain.state = 'upstream-stale';
        chain.staleAt = position.get(stale)!;
      }
    }
    out.set(s.id, chain);
  }
  return out;
}

/** The chain state of every shot of a board document. */
export function chainStates(doc: Y.Doc): Map<string, ShotChain> {
  return chainOf(shotsInOrder(doc).map((s) => ({ ...s, takes: listTakes(doc, s.id) })));
}

/** A shot's own state, from its selected take and its direct upstream alone. */
function judge(s: ChainShot, byId: Map<string, ChainShot>, position: Map<string, number>): ShotChain {
  const up = s.continuesFrom !== undefined ? byId.get(s.continuesFrom) : undefined;
  if (!up || up.id === s.id) return { state: 'unchained' };
  const upTake = selected(up);
  const upstream: NonNullable<ShotChain['upstream']> = { shotId: up.id, position: position.get(up.id)! };
  if (upTake) Object.assign(upstream, defined({ takeId: upTake.id, takeNumber: upTake.number, tail: upTake.tail }));
  const take = selected(s);
  if (!take) return { state: 'no-take', upstream };
  const origin = take.fromTake !== undefined ? up.takes.find((t) => t.id === take.fromTake) : undefined;
  const madeFrom = defined({ takeId: take.fromTake, takeNumber: origin?.number, tail: take.fromTail });
  const judged = { upstream, takeId: take.id, madeFrom };
  if (take.fromTail === upTake?.tail) return { state: 'fresh', ...judged };
  const a = s.staleAccepted;
  if (a && a.take === take.id && a.tail === (upTake?.tail ?? null)) return { state: 'accepted', ...judged, accepted: a };
  return { state: 'stale', ...judged };
}

function selected(s: ChainShot): ChainTake | undefined {
  return s.selectedTake !== undefined ? s.takes.find((t) => t.id === s.selectedTake) : undefined;
}

/** `o` without its undefined fields (exactOptionalPropertyTypes). */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
