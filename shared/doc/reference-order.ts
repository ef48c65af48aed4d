/**
 * The order of reference cards in the library: the order people give them, kept as a
 * fractional-index `rank` per reference (as shots, see rank.ts), never re-sorted by name.
 * References from before cards had an order have no rank: they come after the ranked ones, by
 * name (the order they used to show in), until the server ranks them when it loads the board
 * (`rankLegacyReferences` in server/sync/core.ts) or someone moves or adds a card.
 */
import * as Y from 'yjs';
import { generateNKeysBetween } from 'fractional-indexing';
import { childMap, inTransaction, readChildren, readText, requireChild, roots, type DocMap } from './maps.js';
import { compareRanked, isValidRank, type Ranked } from './rank.js';
import { alreadyAt, planAmong, type Position } from './ranked-order.js';
import { REFERENCE } from './schema.js';

interface Entry extends Ranked {
  name: string;
}

/** Ranked cards by rank then id; unranked ones after them, by name then id. */
export function compareReferenceOrder(a: { id: string; rank: string; name: string }, b: { id: string; rank: string; name: string }): number {
  const ra = isValidRank(a.rank);
  const rb = isValidRank(b.rank);
  if (ra && rb) return compareRanked(a, b);
  if (ra !== rb) return ra ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function entries(doc: Y.Doc): Entry[] {
  const entry = (m: DocMap, id: string): Entry => {
    const rank = m.get(REFERENCE.rank);
    return { id, rank: typeof rank === 'string' ? rank : '', name: readText(m, REFERENCE.name) };
  };
  return readChildren(roots(doc).references, entry, compareReferenceOrder);
}

/**
 * Gives every unranked reference a rank after the ranked ones, in the order they show in now.
 * Returns false, writing nothing, when all have one.
 */
export function rankLegacyReferences(doc: Y.Doc): boolean {
  const all = entries(doc);
  const unranked = all.filter((e) => !isValidRank(e.rank));
  if (unranked.length === 0) return false;
  const last = all.filter((e) => isValidRank(e.rank)).at(-1)?.rank ?? null;
  const keys = generateNKeysBetween(last, null, unranked.length);
  const refs = roots(doc).references;
  inTransaction(doc, () => unranked.forEach((e, i) => childMap(refs, e.id)?.set(REFERENCE.rank, keys[i]!)));
  return true;
}

/** The rank for a new card at the end of the library (ranking any legacy cards first). */
export function rankForNewReference(doc: Y.Doc, id: string): string {
  rankLegacyReferences(doc);
  const placement = planAmong(entries(doc), id, {}, 'reference');
  applyRerank(doc, placement.rerank);
  return placement.rank;
}

/** Moves a card before or after another (or to the end): one rank changes, so moves converge. */
export function moveReference(doc: Y.Doc, id: string, pos: Position): void {
  if (pos.after === id || pos.before === id) return;
  const refs = roots(doc).references;
  requireChild(refs, id, 'reference');
  inTransaction(doc, () => {
    rankLegacyReferences(doc);
    const ordered = entries(doc);
    if (alreadyAt(ordered, id, pos)) return;
    const placement = planAmong(ordered, id, pos, 'reference');
    requireChild(refs, id, 'reference').set(REFERENCE.rank, placement.rank);
    applyRerank(doc, placement.rerank);
  });
}

function applyRerank(doc: Y.Doc, rerank: readonly { id: string; rank: string }[]) {
  const refs = roots(doc).references;
  for (const r of rerank) childMap(refs, r.id)?.set(REFERENCE.rank, r.rank);
}
