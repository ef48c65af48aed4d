/**
 * A loaded room keeps no encoded copy of its stored state while the document alone is what is
 * stored (on load, and after a quiet sweep interval); the next client update encodes it again,
 * so a refused update still rebuilds to exactly what is stored and a newcomer is never sent
 * what is still being written.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from '../../../server/sync/room.js';
import { editOnCopy } from '../../helpers/doc-edit.js';
import { addShot, getPromptText, getShot, shotsInOrder, upsertTake, TAKES_ARE_SERVER_ONLY, newId } from '../../../shared/doc/index.js';

const actor = { userId: 'user_a', role: 'editor' as const };
const client = { role: 'client' as const, actor };

/** A stored board with one shot, loaded into a room as the hub does. */
function loadedRoom(): { room: Room<unknown>; shotId: string; state: Uint8Array } {
  const source = new Y.Doc();
  const shotId = addShot(source, { title: 'stored' });
  const room = new Room<unknown>('board_1');
  const state = Y.encodeStateAsUpdate(source);
  room.load({ parts: [state], snapshotSeq: 1, snapshotBytes: state.byteLength, lastSeq: 1, logCount: 0, bytes: state.byteLength });
  return { room, shotId, state };
}

const titles = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return shotsInOrder(doc).map((s) => s.title);
};

describe('the encoded copy of a loaded room', () => {
  it('is not kept after load or a quiet interval, and comes back for the next update', () => {
    const { room, state } = loadedRoom();
    expect(room.hasEncodedCopy).toBe(false);
    const update = editOnCopy(state, (d) => addShot(d, { title: 'new' }));
    const verdict = room.tryUpdate((doc, origin) => Y.applyUpdate(doc, update, origin), client);
    expect(verdict.ok).toBe(true);
    expect(room.hasEncodedCopy).toBe(true);
    // While the update is being written, a newcomer is served only what is stored.
    expect(titles(room.diff(new Uint8Array([0])))).toEqual(['stored']);
    room.touched = false; // a sweep while it is in flight keeps the copy
    expect(room.hasEncodedCopy).toBe(true);
    room.commit(verdict.ok ? verdict.update! : new Uint8Array(), 2);
    room.touched = false;
    expect(room.hasEncodedCopy).toBe(false);
    expect(titles(room.storedState())).toEqual(['stored', 'new']);
  });

  it('an update with nothing new (a re-sent state) leaves no copy behind', () => {
    const { room, state } = loadedRoom();
    const verdict = room.tryUpdate((doc, origin) => Y.applyUpdate(doc, state, origin), client);
    expect(verdict).toEqual({ ok: true, update: null });
    expect(room.hasEncodedCopy).toBe(false);
  });

  it('a refused update after the copy was dropped leaves exactly what is stored', () => {
    const { room, shotId, state } = loadedRoom();
    room.touched = false;
    expect(room.hasEncodedCopy).toBe(false);
    const forged = editOnCopy(state, (d) => {
      upsertTake(d, shotId, newId('take'), { jobId: newId('job'), model: 'animatic', durationSec: 4, createdBy: 'user_a' });
      addShot(d, { title: 'riding along' });
    });
    const verdict = room.tryUpdate((doc, origin) => Y.applyUpdate(doc, forged, origin), client);
    expect(verdict).toEqual({ ok: false, reason: TAKES_ARE_SERVER_ONLY });
    expect(shotsInOrder(room.doc).map((s) => s.title)).toEqual(['stored']);
    expect(getShot(room.doc, shotId)?.title).toBe('stored');
    expect(titles(room.storedState())).toEqual(['stored']);
  });

  it('folds the updates stored since the last fold on the next turn, not inside the commit that relays them', async () => {
    const { room, shotId } = loadedRoom();
    for (let seq = 2; seq < 1030; seq++) {
      const verdict = room.tryUpdate((doc, origin) => doc.transact(() => getPromptText(doc, shotId).insert(0, 'typing '), origin), client);
      if (!verdict.ok || !verdict.update) throw new Error('the edit was refused');
      room.commit(verdict.update, seq);
    }
    // Past 1,024 of them a fold is due whatever they weigh, but not before the relay of the update
    // just stored, which goes out at the end of this tick.
    expect(room.storedApart).toBe(1028);
    await new Promise((resolve) => setImmediate(resolve));
    expect(room.storedApart).toBe(0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, room.storedState());
    expect(getPromptText(stored, shotId).toString()).toBe('typing '.repeat(1028));
  });

  it('counts the stored size for the cap without the copy', () => {
    const { room } = loadedRoom();
    const withCopy = room.storedState().byteLength;
    room.touched = false;
    expect(room.hasEncodedCopy).toBe(false);
    room.refold();
    expect(room.documentBytes).toBe(withCopy);
  });
});
