/**
 * A shot's place in the edit, beyond its rank: the in and out points of each of its takes
 * (`trim:<takeId>` records), whether it is left out of the sequence, and the transition into it.
 * The sequence plan (shared/sequence/plan.ts) reads them; an accepted timeline import
 * (server/export/import/) writes them. A trim belongs to a take, so selecting another take shows
 * that take whole (or with its own trim) and going back restores the first one's.
 */
import type * as Y from 'yjs';
import { DocError, notFound } from './errors.js';
import { inTransaction, requireChild, roots } from './maps.js';
import { SHOT, TRIM, takeKey, trimKey } from './schema.js';
import type { TakeTrim } from './shot-view.js';
import { isTrim, SHOT_SPEC } from './specs.js';

/** Sets (or with null clears) the in and out points of take `takeId` of shot `shotId`. */
export function setTakeTrim(doc: Y.Doc, shotId: string, takeId: string, trim: TakeTrim | null): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  if (!shot.has(takeKey(takeId))) throw notFound(`take of shot "${shotId}"`, takeId);
  const key = trimKey(takeId);
  if (trim === null) {
    if (shot.has(key)) inTransaction(doc, () => shot.delete(key));
    return;
  }
  const record = { [TRIM.inSec]: trim.inSec, [TRIM.outSec]: trim.outSec };
  const problem = isTrim(record, `shots.${shotId}.${key}`)[0];
  if (problem) throw new DocError('invalid_value', problem);
  inTransaction(doc, () => shot.set(key, record));
}

/** Leaves a shot out of the sequence, or puts it back. The shot, its takes and comments stay on the board. */
export function setLeftOut(doc: Y.Doc, shotId: string, leftOut: boolean): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  if ((shot.get(SHOT.leftOut) === true) === leftOut) return;
  // false is the default, which is not stored.
  inTransaction(doc, () => (leftOut ? shot.set(SHOT.leftOut, true) : shot.delete(SHOT.leftOut)));
}

/** Sets the transition into a shot's cut (seconds, 0 = hard cut), or with null returns it to the board's rule. */
export function setFadeIn(doc: Y.Doc, shotId: string, seconds: number | null): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  if (seconds === null) {
    if (shot.has(SHOT.fadeInSec)) inTransaction(doc, () => shot.delete(SHOT.fadeInSec));
    return;
  }
  const problem = SHOT_SPEC.fields[SHOT.fadeInSec]!(seconds, `shots.${shotId}.${SHOT.fadeInSec}`)[0];
  if (problem) throw new DocError('invalid_value', problem);
  if (shot.get(SHOT.fadeInSec) !== seconds) inTransaction(doc, () => shot.set(SHOT.fadeInSec, seconds));
}
