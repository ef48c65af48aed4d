/**
 * The media a guest may fetch are worked out once per version of the board document, not on
 * every media request: the same set answers until the document changes, and any change (a take
 * finishing, failing or going, a shot deleted) is seen at the next request.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, deleteShot, roots, setShotFields, upsertTake } from '../../../shared/doc/index.js';
import { takeKey } from '../../../shared/doc/schema.js';
import { guestMedia } from '../../../server/review-links/guest-view.js';

const finished = (clip: string, poster?: string) => ({
  jobId: `job-${clip}`, model: 'animatic', durationSec: 2, createdBy: 'u1', status: 'succeeded' as const, clip, ...(poster ? { poster } : {}),
});

describe('guestMedia', () => {
  it('builds the set once per document version and follows every change', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'Opening' });
    upsertTake(doc, shot, 'tk1', finished('clip1', 'poster1'));
    upsertTake(doc, shot, 'tk2', { jobId: 'job-q', model: 'animatic', durationSec: 2, createdBy: 'u1', status: 'queued' });

    const first = guestMedia(doc);
    expect([...first].sort()).toEqual(['clip1', 'poster1']);
    // No change since: the very same set, not the document walked again.
    expect(guestMedia(doc)).toBe(first);
    expect(guestMedia(doc)).toBe(first);

    // A take finishing is seen at once.
    upsertTake(doc, shot, 'tk2', { status: 'succeeded', clip: 'clip2' });
    const second = guestMedia(doc);
    expect(second).not.toBe(first);
    expect([...second].sort()).toEqual(['clip1', 'clip2', 'poster1']);
    expect(guestMedia(doc)).toBe(second);

    // So is a take deleted, and a whole shot with its takes.
    doc.transact(() => (roots(doc).shots.get(shot) as Y.Map<unknown>).delete(takeKey('tk1')));
    expect([...guestMedia(doc)]).toEqual(['clip2']);
    const other = addShot(doc, { title: 'Second' });
    upsertTake(doc, other, 'tk3', finished('clip3'));
    expect([...guestMedia(doc)].sort()).toEqual(['clip2', 'clip3']);
    deleteShot(doc, shot);
    expect([...guestMedia(doc)]).toEqual(['clip3']);
    // An edit elsewhere only costs one rebuild, with the same answer.
    setShotFields(doc, other, { title: 'Renamed' });
    expect([...guestMedia(doc)]).toEqual(['clip3']);

    // A change that arrives as an update from elsewhere (another instance, a load) is seen too.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    upsertTake(remote, other, 'tk3', { status: 'failed', clip: null });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
    expect([...guestMedia(doc)]).toEqual([]);

    // Each document has its own set (a board unloaded and loaded again is a new document).
    const again = new Y.Doc();
    Y.applyUpdate(again, Y.encodeStateAsUpdate(doc));
    expect(guestMedia(again)).not.toBe(guestMedia(doc));
    expect([...guestMedia(again)]).toEqual([]);
  });
});
