/** Placing and moving shots in the board order (see rank.ts for why order is a per-shot rank). */
import type * as Y from 'yjs';
import { childMap, inTransaction, requireChild, roots } from './maps.js';
import type { Placement } from './rank.js';
import { alreadyAt, planAmong, type Position } from './ranked-order.js';
import { SHOT } from './schema.js';
import { rankedShots } from './shot-view.js';

/** Where a shot goes: right after one shot, right before one, or (neither) at the end. */
export type ShotPosition = Position;

/**
 * The rank that puts shot `id` at `pos`, computed between its actual neighbours in board order
 * (without the shot itself, which need not exist yet), plus tied neighbours to re-rank. Read-only:
 * it throws on a bad position before anything is written.
 */
export function planPlacement(doc: Y.Doc, id: string, pos: ShotPosition = {}): Placement {
  return planAmong(rankedShots(doc), id, pos, 'shot');
}

/** Writes a placement's re-ranked neighbours (the placed shot's own rank is the caller's). */
export function applyRerank(doc: Y.Doc, placement: Placement): void {
  const shots = roots(doc).shots;
  for (const r of placement.rerank) childMap(shots, r.id)?.set(SHOT.rank, r.rank);
}

/**
 * Moves a shot after or before another (or to the end). Only ranks change, so a concurrent move
 * of the same shot resolves to one position and no replica ever sees it twice.
 */
export function moveShot(doc: Y.Doc, id: string, pos: ShotPosition): void {
  if (pos.after === id || pos.before === id) return; // relative to itself: already there
  requireChild(roots(doc).shots, id, 'shot');
  if (alreadyAt(rankedShots(doc), id, pos)) return;
  const placement = planPlacement(doc, id, pos);
  inTransaction(doc, () => {
    requireChild(roots(doc).shots, id, 'shot').set(SHOT.rank, placement.rank);
    applyRerank(doc, placement);
  });
}
