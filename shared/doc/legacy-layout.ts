/**
 * Boards stored before the lighter layout (issue 23) hold, in every entity map, an `id` equal to
 * its key; on each shot, its assignments as a nested `refs` Y.Map and its takes as a nested
 * `takes` Y.Map of take Y.Maps. This rewrites them: ids dropped (the key is the id), each
 * assignment as a `ref:<referenceId>` key of the shot, each take as one plain record under a
 * `take:<takeId>` key (a take is written whole by the server, so nothing merges worse). Every
 * value is kept. The database migration 2026_12_07_090000_lighter_board_layout runs it on every
 * stored board; an outdated client writing the old shapes is refused with BOARD_UPDATED (specs.ts).
 */
import * as Y from 'yjs';
import { childMap, roots, type DocMap } from './maps.js';
import { REFERENCE, refKey, takeKey } from './schema.js';

/** The retired keys (the schema refuses new writes to them). */
export const LEGACY_ID = 'id';
export const LEGACY_REFS = 'refs';
export const LEGACY_TAKES = 'takes';

/**
 * Converts a board in one transaction. Returns false (writing nothing) when it has nothing of the
 * old layout, so running it twice is harmless. A key already in the new layout wins over the old
 * value (it can only have been written later).
 */
export function convertLegacyLayout(doc: Y.Doc): boolean {
  const edits: (() => void)[] = [];
  const dropId = (map: DocMap) => {
    if (map.has(LEGACY_ID)) edits.push(() => map.delete(LEGACY_ID));
  };
  const { shots, references, comments } = roots(doc);
  for (const shotId of [...shots.keys()].sort()) {
    const shot = childMap(shots, shotId);
    if (!shot) continue;
    dropId(shot);
    moveFamily(shot, LEGACY_REFS, refKey, (v) => (typeof v === 'string' ? v : undefined), edits);
    moveFamily(shot, LEGACY_TAKES, takeKey, takeRecord, edits);
  }
  for (const refId of [...references.keys()].sort()) {
    const ref = childMap(references, refId);
    if (!ref) continue;
    dropId(ref);
    const versions = ref.get(REFERENCE.versions);
    if (!(versions instanceof Y.Map)) continue;
    for (const versionId of [...versions.keys()].sort()) {
      const version = childMap(versions as DocMap, versionId);
      if (version) dropId(version);
    }
  }
  for (const commentId of [...comments.keys()].sort()) {
    const comment = childMap(comments, commentId);
    if (comment) dropId(comment);
  }
  if (edits.length === 0) return false;
  doc.transact(() => {
    for (const edit of edits) edit();
  });
  return true;
}

/** Moves the entries of the nested map under `from` into keys of `shot`, then removes it. */
function moveFamily(shot: DocMap, from: string, key: (id: string) => string, value: (v: unknown) => unknown, edits: (() => void)[]): void {
  if (!shot.has(from)) return;
  const nested = shot.get(from);
  if (nested instanceof Y.Map) {
    for (const id of [...nested.keys()].sort()) {
      const v = value(nested.get(id));
      if (v !== undefined && !shot.has(key(id))) edits.push(() => shot.set(key(id), v));
    }
  }
  edits.push(() => shot.delete(from));
}

/** A take map as its plain record: every plain field but the id (a take holds no nested types). */
function takeRecord(v: unknown): Record<string, unknown> | undefined {
  if (!(v instanceof Y.Map)) return undefined;
  const record: Record<string, unknown> = {};
  for (const [field, value] of [...(v as DocMap).entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (field !== LEGACY_ID && !(value instanceof Y.AbstractType)) record[field] = value;
  }
  return record;
}
