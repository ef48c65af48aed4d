/**
 * Shot order: each shot carries a fractional-index `rank`, so a move rewrites one field of one shot
 * and concurrent moves converge (last writer wins per shot) instead of duplicating list entries.
 * Two clients inserting at the same spot may pick the same rank; order then ties by id, and the
 * next insert into such a tie re-ranks the tied run so positions stay reachable.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** Anything with an id and a rank (shots, in practice). */
export interface Ranked {
  readonly id: string;
  readonly rank: string;
}

/** Where a placed item goes, plus any neighbours that must move to make room. */
export interface Placement {
  rank: string;
  rerank: Array<{ id: string; rank: string }>;
}

/** Total order of the board: rank by code unit (what fractional-indexing assumes), then id. */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** True when `rank` is a key fractional-indexing accepts (it throws on anything else). */
export function isValidRank(rank: unknown): rank is string {
  if (typeof rank !== 'string') return false;
  try {
    generateKeyBetween(rank, null);
    return true;
  } catch {
    return false;
  }
}

/**
 * A rank that puts a new item at `index` of `ordered` (sorted by compareRanked, without the item
 * itself). Never throws on equal or corrupt neighbour ranks: it re-ranks what it must instead.
 */
export function placeAt(ordered: readonly Ranked[], index: number): Placement {
  const at = Math.max(0, Math.min(index, ordered.length));
  try {
    return placeBetweenNeighbours(ordered, at);
  } catch {
    // Only reachable when ranks were not made by this module (e.g. hand-edited): renumber all.
    return renumberAll(ordered, at);
  }
}

function placeBetweenNeighbours(ordered: readonly Ranked[], at: number): Placement {
  const lo = ordered[at - 1]?.rank ?? null;
  const hi = ordered[at]?.rank ?? null;
  if (lo === null || hi === null || lo < hi) return { rank: generateKeyBetween(lo, hi), rerank: [] };
  // lo === hi (sorted input never has lo > hi): nothing fits between equal keys, so the item takes
  // the tie's rank slot and the upper part of the tie moves up, below the next distinct rank.
  let end = at;
  while (end < ordered.length && ordered[end]!.rank === hi) end++;
  const upper = ordered[end]?.rank ?? null;
  const keys = generateNKeysBetween(lo, upper, end - at + 1);
  return {
    rank: keys[0]!,
    rerank: ordered.slice(at, end).map((item, i) => ({ id: item.id, rank: keys[i + 1]! })),
  };
}

function renumberAll(ordered: readonly Ranked[], at: number): Placement {
  const keys = generateNKeysBetween(null, null, ordered.length + 1);
  const rerank = ordered.map((item, i) => ({ id: item.id, rank: keys[i < at ? i : i + 1]! }));
  return { rank: keys[at]!, rerank };
}
