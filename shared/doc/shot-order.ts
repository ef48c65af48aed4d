/** Placing and moving shots in the board order (see rank.ts for why order is a per-shot rank). */
import type * as Y from 'yjs';
import { DocError, notFound } from './errors.js';
import { childMap, inTransaction, requireChild, roots } from './maps.js';
import { placeAt, type Placement } from './rank.js';
import { SHOT } from './schema.js';
import { rankedShots } from './shot-view.js';

/** Where a shot goes: right after one shot, right before one, or (neither) at the end. */
export interface ShotPosition {
  after?: string;
  before?: string;
}

/**
 * The rank that puts shot `id` at `pos`, computed between its actual neighbours in board order
 * (without the shot itself, which need not exist yet), plus tied neighbours to re-rank. Read-only:
 * it throws on a bad position before anything is written.
 */
export function planPlacement(doc: Y.Doc, id: string, pos: ShotPosition = {}): Placement {
  if (pos.after !== undefined && pos.before !== undefined) {
    throw new DocError('invalid_value', 'give either `after` or `before`, not both');
  }
  const ordered = rankedShots(doc).filter((s) => s.id !== id);
  const anchor = pos.after ?? pos.before;
  let index = ordered.length;
  if (anchor !== undefined) {
    const i = ordered.findIndex((s) => s.id === anchor);
    if (i < 0) throw notFound('shot', anchor);
    index = pos.after !== undefined ? i + 1 : i;
  }
  return placeAt(ordered, index);
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
  if (alreadyAt(doc, id, pos)) return; // a fresh rank would be a needless update
  const placement = planPlacement(doc, id, pos);
  inTransaction(doc, () => {
    requireChild(roots(doc).shots, id, 'shot').set(SHOT.rank, placement.rank);
    applyRerank(doc, placement);
  });
}

function alreadyAt(doc: Y.Doc, id: string, pos: ShotPosition): boolean {
  const ids = rankedShots(doc).map((s) => s.id);
  const i = ids.indexOf(id);
  if (pos.after !== undefined && pos.before !== undefined) return false; // planPlacement reports it
  if (pos.after !== undefined) return ids[i - 1] === pos.after;
  if (pos.before !== undefined) return ids[i + 1] === pos.before;
  return i === ids.length - 1;
}
