/** Moving an item among ranked siblings (shots on a board, reference cards in the library). */
import { DocError, notFound } from './errors.js';
import { placeAt, type Placement, type Ranked } from './rank.js';

/** Where an item goes: right after one sibling, right before one, or (neither) at the end. */
export interface Position {
  after?: string;
  before?: string;
}

/**
 * The rank that puts item `id` at `pos` among `ordered` (sorted; the item itself is left out,
 * and need not exist yet), plus tied neighbours to re-rank. Throws on a bad position.
 */
export function planAmong(ordered: readonly Ranked[], id: string, pos: Position, what: 'shot' | 'reference'): Placement {
  if (pos.after !== undefined && pos.before !== undefined) {
    throw new DocError('invalid_value', 'give either `after` or `before`, not both');
  }
  const others = ordered.filter((s) => s.id !== id);
  const anchor = pos.after ?? pos.before;
  let index = others.length;
  if (anchor !== undefined) {
    const i = others.findIndex((s) => s.id === anchor);
    if (i < 0) throw notFound(what, anchor);
    index = pos.after !== undefined ? i + 1 : i;
  }
  return placeAt(others, index);
}

/** True when `id` already sits at `pos` in `ordered` (a fresh rank would be a needless update). */
export function alreadyAt(ordered: readonly Ranked[], id: string, pos: Position): boolean {
  const ids = ordered.map((s) => s.id);
  const i = ids.indexOf(id);
  if (pos.after !== undefined && pos.before !== undefined) return false; // planAmong reports it
  if (pos.after !== undefined) return ids[i - 1] === pos.after;
  if (pos.before !== undefined) return ids[i + 1] === pos.before;
  return i === ids.length - 1;
}
