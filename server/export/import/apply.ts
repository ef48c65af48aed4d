/**
 * Writes the accepted changes of a timeline import into the board document, in one transaction:
 * shots left out or put back, the new order, each take's in/out points, transitions. The diff is
 * computed again from the document as it is at that moment; a change the editor accepted that is
 * no longer there (the board moved on since they looked) refuses the whole acceptance, so nothing
 * is written that the editor did not see.
 */
import type * as Y from 'yjs';
import {
  getMeta, listTakes, MAX_CROSSFADE_SEC, MAX_SHOT_DURATION_SEC, moveShot, setFadeIn, setLeftOut, setTakeTrim, shotsInOrder,
} from '../../../shared/doc/index.js';
import { frameRate, framesToSeconds } from '../../../shared/sequence/rate.js';
import type { ImportChange, TimelineImportDiff } from '../../../shared/timeline-import.js';
import { AppError } from '../../errors.js';
import { diffTimeline, type ImportBoard } from './diff.js';
import type { ImportedTimeline } from './timeline-file.js';

/** The board as the diff reads it, from a document. */
export function importBoard(doc: Y.Doc): ImportBoard {
  const shots = shotsInOrder(doc);
  return { meta: getMeta(doc), shots, takes: Object.fromEntries(shots.map((s) => [s.id, listTakes(doc, s.id)])) };
}

/** The changes `accept` names (every change for 'all'), or why they cannot be accepted now. */
export function pickChanges(diff: TimelineImportDiff, accept: 'all' | readonly string[]): ImportChange[] | AppError {
  if (accept === 'all') return diff.changes;
  const byId = new Map(diff.changes.map((c) => [c.id, c]));
  const missing = accept.find((id) => !byId.has(id));
  if (missing !== undefined) {
    return new AppError('conflict', `The change "${missing.slice(0, 100)}" is not in the file's differences with the board as it is now (someone changed the board, or it was accepted already); look at the differences again`);
  }
  return [...new Set(accept)].map((id) => byId.get(id)!);
}

/** Applies `changes` (from a diff of this very document state) to `doc`. */
export function applyChanges(doc: Y.Doc, changes: readonly ImportChange[]): void {
  const rate = frameRate(getMeta(doc).fps);
  const seconds = (frames: number) => framesToSeconds(frames, rate);
  for (const c of changes) {
    if (c.kind === 'remove') setLeftOut(doc, c.shotId, true);
    if (c.kind === 'restore') setLeftOut(doc, c.shotId, false);
  }
  const order = changes.find((c) => c.kind === 'order');
  if (order) reorder(doc, order.to);
  for (const c of changes) {
    // A whole 60 s take at 23.976 is 1439 frames, 60.018 s: kept within the schema's bound, as the dissolve below.
    if (c.kind === 'trim') setTakeTrim(doc, c.shotId, c.takeId, { inSec: Math.min(MAX_SHOT_DURATION_SEC, seconds(c.to.inFrame)), outSec: Math.min(MAX_SHOT_DURATION_SEC, seconds(c.to.outFrame)) });
    // A 2 s dissolve at 23.976 is 48 frames, 2.002 s: kept within the schema's bound (still 48 frames).
    if (c.kind === 'transition') setFadeIn(doc, c.shotId, Math.min(MAX_CROSSFADE_SEC, seconds(c.to)));
  }
}

/**
 * Puts the file's shots in the file's order, in the places those shots hold on the board now:
 * shots the file does not have (left out, or added after the export) keep their places. Only the
 * shots whose place changes move (the board order's longest run already in the new order stays):
 * only their ranks are written (and tied neighbours', rarely), so a teammate's concurrent move of
 * a shot that keeps its place is not overwritten.
 */
function reorder(doc: Y.Doc, fileOrder: readonly string[]): void {
  const inFile = new Set(fileOrder);
  let next = 0;
  const now = shotsInOrder(doc).map((s) => s.id);
  const final = now.map((id) => (inFile.has(id) ? fileOrder[next++]! : id));
  const place = new Map(now.map((id, i) => [id, i]));
  const stays = longestIncreasing(final.map((id) => place.get(id)!));
  // Left to right, each shot that moves goes right after the one before it in the new order
  // (already where it belongs): the first shot goes to the front.
  final.forEach((id, i) => {
    if (stays.has(i)) return;
    moveShot(doc, id, i === 0 ? { before: now[0]! } : { after: final[i - 1]! });
  });
}

/** The indexes of one longest strictly increasing subsequence of `values` (patience sorting). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(values.length).fill(-1);
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const out = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = prev[i]!) out.add(i);
  return out;
}

/** Reads the file against the document's board: the diff (refusing a file with nothing of this board). */
export function diffOf(doc: Y.Doc, file: ImportedTimeline): TimelineImportDiff {
  return diffTimeline(importBoard(doc), file);
}
