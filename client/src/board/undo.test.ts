import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addShot, assignReference, createReference, deleteShot, getReference, getShot, getShotText, setReferenceFields, setShotFields, shotsInOrder, statusPatch, upsertTake,
} from '../../../shared/doc';
import { BOARD_EDIT, LocalEdit } from './local-edit';
import { createUndo, SERVER_OWNED_MESSAGE, SIGNED_BY_OTHER_MESSAGE } from './undo';

const REMOTE = 'remote';

/** Two replicas wired like two browsers through a relay: each one's updates reach the other as remote. */
function teammates() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, o: unknown) => o !== REMOTE && Y.applyUpdate(b, u, REMOTE));
  b.on('update', (u: Uint8Array, o: unknown) => o !== REMOTE && Y.applyUpdate(a, u, REMOTE));
  return { a, b };
}

/** What board.edit does: one origin for my edits, each action its own undo step. */
function editor(doc: Y.Doc, undo: ReturnType<typeof createUndo>) {
  return (fn: () => void, origin: object = BOARD_EDIT) => {
    undo.stopCapturing();
    doc.transact(fn, origin);
    undo.stopCapturing();
  };
}

describe('undo', () => {
  it('reverts only my own edits, in order, and the teammate sees it; redo restores', () => {
    const { a, b } = teammates();
    const shot = addShot(b, { title: 'Alpha', durationSec: 5 }); // made by the teammate
    const undo = createUndo(a, 'user_a');
    const edit = editor(a, undo);
    expect(undo.canUndo()).toBe(false);
    edit(() => getShotText(a, shot, 'title')!.insert(5, ' at dusk'), new LocalEdit('title field'));
    edit(() => setShotFields(a, shot, { durationSec: 8 }));
    setShotFields(b, shot, { status: 'ready' }); // the teammate, meanwhile
    expect(undo.canUndo()).toBe(true);

    expect(undo.undo()).toBeNull();
    expect(getShot(b, shot)).toMatchObject({ title: 'Alpha at dusk', durationSec: 5, status: 'ready' });
    expect(undo.undo()).toBeNull();
    expect(getShot(b, shot)).toMatchObject({ title: 'Alpha', durationSec: 5, status: 'ready' });
    expect(undo.canUndo()).toBe(false);
    expect(undo.undo()).toBeNull(); // nothing left: the teammate's shot and status stay
    expect(getShot(a, shot)).toMatchObject({ title: 'Alpha', status: 'ready' });

    undo.redo();
    undo.redo();
    expect(getShot(b, shot)).toMatchObject({ title: 'Alpha at dusk', durationSec: 8, status: 'ready' });
    expect(undo.canRedo()).toBe(false);
    undo.dispose();
  });

  it('covers references and assignments too', () => {
    const { a, b } = teammates();
    const shot = addShot(b, { title: 'One' });
    const ref = createReference(b, { kind: 'character', name: 'Mina' });
    const undo = createUndo(a, 'user_a');
    const edit = editor(a, undo);
    edit(() => setReferenceFields(a, ref, { name: 'Mina (lead)' }));
    edit(() => assignReference(a, shot, ref));
    undo.undo();
    expect(getShot(b, shot)?.refs).toEqual({});
    undo.undo();
    expect(getReference(b, ref)?.name).toBe('Mina');
    undo.dispose();
  });

  it('skips, with a message, undoing the deletion of a shot whose takes only the server may write', () => {
    const { a, b } = teammates();
    const plain = addShot(b, { title: 'Plain' });
    const taken = addShot(b, { title: 'Has takes' });
    upsertTake(b, taken, 'take_1', { jobId: 'job_1', status: 'succeeded', model: 'animatic', durationSec: 5, costMicroUsd: 0, createdBy: 'u', createdAt: '2026-12-01T10:00:00Z' });
    const undo = createUndo(a, 'user_a');
    const edit = editor(a, undo);
    edit(() => setShotFields(a, plain, { title: 'Plain, retitled' }));
    edit(() => deleteShot(a, taken));
    const sent: Uint8Array[] = [];
    a.on('update', (u: Uint8Array, o: unknown) => o !== REMOTE && sent.push(u));

    expect(undo.undo()).toBe(SERVER_OWNED_MESSAGE);
    expect(sent).toEqual([]); // nothing written: the takes are not re-created by this client
    expect(shotsInOrder(a).map((s) => s.title)).toEqual(['Plain, retitled']);
    expect(undo.undo()).toBeNull(); // the step before it still undoes
    expect(shotsInOrder(b).map((s) => s.title)).toEqual(['Plain']);
    undo.dispose();
  });

  it("skips, with a message, a step that would bring back a teammate's approval; my own comes back", () => {
    const { a, b } = teammates();
    const shot = addShot(b, { title: 'Approved by the teammate' });
    setShotFields(b, shot, statusPatch('approved', 'user_b'));
    const undo = createUndo(a, 'user_a');
    const edit = editor(a, undo);
    edit(() => setShotFields(a, shot, statusPatch('review', 'user_a')));
    expect(undo.undo()).toBe(SIGNED_BY_OTHER_MESSAGE);
    expect(getShot(b, shot)).toMatchObject({ status: 'review' });
    expect(getShot(b, shot)?.approvedBy).toBeUndefined();

    edit(() => setShotFields(a, shot, statusPatch('approved', 'user_a')));
    edit(() => setShotFields(a, shot, statusPatch('ready', 'user_a')));
    expect(undo.undo()).toBeNull();
    expect(getShot(b, shot)).toMatchObject({ status: 'approved', approvedBy: 'user_a' });
    undo.dispose();
  });
});
