/**
 * What each board role may write at all, before who-wrote-what (actor.ts) is judged. Editors and
 * owners may write anywhere the schema allows. A viewer writes nothing. A commenter (a reviewer)
 * may only:
 *
 * - add comments, delete their own, and change their own (resolve or reopen their own threads);
 * - approve a take: on a shot, write `status` 'approved' with their own `approvedBy`, and the
 *   `selectedTake` that goes with it. Nothing else on the shot, and no other status (undoing an
 *   approval or moving a shot back is an editor's call).
 *
 * Refusals start with READ_ONLY_NOTICE / COMMENT_ONLY_NOTICE (shared/sync.ts) so the sync
 * server tells the sender it was their role, not a broken client, and the UI can say so.
 * Like actor.ts, rules read what the sender wrote and the state before, never the merged outcome.
 */
import type * as Y from 'yjs';
import { roleAtLeast } from '../api.js';
import { COMMENT_ONLY_NOTICE, READ_ONLY_NOTICE } from '../sync.js';
import { valueBefore, written, type Actor } from './actor.js';
import type { Place } from './locate.js';
import { SHOT } from './schema.js';
import { COMMENT_SPEC, SHOT_SPEC } from './specs.js';

/** A shot's fields a commenter writes when approving a take. */
const APPROVAL_FIELDS: ReadonlySet<string> = new Set([SHOT.status, SHOT.approvedBy, SHOT.selectedTake]);

/** Whether `actor`'s role allows this change at all; the reason to refuse, or null. */
export function judgeScope(place: Place, keys: Set<string | null>, tr: Y.Transaction, actor: Actor): string | null {
  if (roleAtLeast(actor.role, 'editor') || place.kind === 'dead') return null;
  if (actor.role === 'viewer') return READ_ONLY_NOTICE;
  const refuse = (path: string, what: string) => `${COMMENT_ONLY_NOTICE} (${path}: ${what})`;
  if (place.kind === 'collection' && place.spec === COMMENT_SPEC) return null; // adding or deleting: actor.ts
  if (place.kind === 'entity' && place.spec === COMMENT_SPEC) {
    // The author rule (actor.ts) lets others resolve a thread; a commenter resolves only their own.
    return valueBefore(place.map, COMMENT_SPEC.authoredBy!, tr) === actor.userId ? null : refuse(place.path, "only your own comments and threads");
  }
  if (place.kind === 'entity' && place.spec === SHOT_SPEC) return judgeApproval(place, keys, tr, actor, refuse);
  const path = 'path' in place ? place.path : 'the board';
  return refuse(path, 'only comments and approvals');
}

function judgeApproval(
  place: Extract<Place, { kind: 'entity' }>, keys: Set<string | null>, tr: Y.Transaction, actor: Actor,
  refuse: (path: string, what: string) => string,
): string | null {
  for (const key of keys) {
    if (key === null || !APPROVAL_FIELDS.has(key)) return refuse(`${place.path}.${key ?? ''}`, 'a shot only takes your approval');
  }
  // As the sender saw it after their change: what they wrote, else what was there.
  const seen = (field: string) => {
    const mine = written(place.map, field, tr);
    return mine.length > 0 ? mine[0] : valueBefore(place.map, field, tr);
  };
  if (seen(SHOT.status) !== 'approved') return refuse(`${place.path}.${SHOT.status}`, 'you may set it to "approved" only');
  if (seen(SHOT.approvedBy) !== actor.userId) return refuse(`${place.path}.${SHOT.approvedBy}`, 'choosing a take is part of your own approval');
  return null;
}
