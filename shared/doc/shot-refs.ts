/** Assignments: which references a shot uses, each pinned to a version or following "current". */
import * as Y from 'yjs';
import { notFound } from './errors.js';
import { inTransaction, requireChild, roots, type DocMap } from './maps.js';
import { REFERENCE, SHOT } from './schema.js';

/**
 * Attaches reference `refId` to a shot. With `versionId` the shot is pinned to that beat's
 * version; without it ('') the shot follows the reference's current version.
 */
export function assignReference(doc: Y.Doc, shotId: string, refId: string, versionId = ''): void {
  const { shots, references } = roots(doc);
  const shot = requireChild(shots, shotId, 'shot');
  const ref = requireChild(references, refId, 'reference');
  if (versionId !== '') {
    const versions = ref.get(REFERENCE.versions);
    if (!(versions instanceof Y.Map) || !(versions.get(versionId) instanceof Y.Map)) {
      throw notFound(`version of reference "${refId}"`, versionId);
    }
  }
  const existing = shot.get(SHOT.refs);
  if (existing instanceof Y.Map && existing.get(refId) === versionId) return;
  inTransaction(doc, () => {
    const refs: DocMap = existing instanceof Y.Map ? (existing as DocMap) : new Y.Map<unknown>();
    if (refs !== existing) shot.set(SHOT.refs, refs);
    refs.set(refId, versionId);
  });
}

/** Detaches a reference from a shot; a no-op if it was not attached. */
export function unassignReference(doc: Y.Doc, shotId: string, refId: string): void {
  const refs = requireChild(roots(doc).shots, shotId, 'shot').get(SHOT.refs);
  if (!(refs instanceof Y.Map) || !refs.has(refId)) return;
  inTransaction(doc, () => refs.delete(refId));
}
