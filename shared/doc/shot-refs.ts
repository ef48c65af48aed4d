/**
 * Assignments: which references a shot uses, each pinned to a version or following "current".
 * One `ref:<referenceId>` key of the shot per assignment, so two teammates assigning two
 * references at once write two keys and both stay.
 */
import * as Y from 'yjs';
import { notFound } from './errors.js';
import { inTransaction, requireChild, roots } from './maps.js';
import { REFERENCE, refKey } from './schema.js';

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
  if (shot.get(refKey(refId)) === versionId) return;
  inTransaction(doc, () => shot.set(refKey(refId), versionId));
}

/** Detaches a reference from a shot; a no-op if it was not attached. */
export function unassignReference(doc: Y.Doc, shotId: string, refId: string): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  if (!shot.has(refKey(refId))) return;
  inTransaction(doc, () => shot.delete(refKey(refId)));
}
