import type * as Y from 'yjs';
import { addComment, addShot, createReference, getNotesText, roots, upsertTake, SHOT_STATUSES } from '../../shared/doc/index.js';
import { newId } from '../../server/lib/ids.js';
import type { Rng } from '../lib/stats.js';

/** A prompt of `words` seeded random words, the length a producer writes (~150-250 characters). */
function prose(r: Rng, words: number): string {
  return Array.from({ length: words }, () => r.letters(2 + r.int(8))).join(' ');
}

/**
 * What a small working board holds: 12 shots with prompts (a few with notes), two references
 * with descriptions, four comments and a queued take on half the shots. Written in one
 * transaction through the document accessors, as `hub.change` would.
 */
export function fillSmallBoard(doc: Y.Doc, r: Rng, userId: string): void {
  doc.transact(() => {
    createReference(doc, { kind: 'character', name: `Hero ${r.letters(4)}`, description: prose(r, 20) });
    createReference(doc, { kind: 'location', name: `Harbour ${r.letters(4)}`, description: prose(r, 15) });
    const shots: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = addShot(doc, {
        title: `Shot ${i + 1} ${r.letters(5)}`,
        prompt: prose(r, 25 + r.int(15)),
        durationSec: 2 + r.int(7),
        camera: ['static', 'push-in', 'pan-left', 'orbit'][r.int(4)]!,
        status: SHOT_STATUSES[r.int(SHOT_STATUSES.length)]!,
      });
      shots.push(id);
      if (i % 4 === 0) getNotesText(doc, id).insert(0, prose(r, 12));
      if (i % 2 === 0) upsertTake(doc, id, newId(), { jobId: newId(), model: 'animatic', durationSec: 4, createdBy: userId, status: 'queued' });
    }
    for (let i = 0; i < 4; i++) addComment(doc, { shotId: shots[r.int(shots.length)]!, author: userId, text: prose(r, 10) });
  });
  if (roots(doc).shots.size !== 12) throw new Error('the small board did not get its 12 shots');
}
