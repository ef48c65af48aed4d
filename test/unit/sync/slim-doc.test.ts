/**
 * A loaded board document gives back the memory Yjs's decoding leaves in it (server/sync/slim-doc.ts)
 * without changing what it holds: the same state encoded, the same reading, and every later
 * edit (typing, field writes, deletions, a server write into a text) lands exactly as on a
 * replica that was not slimmed.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { slimDoc } from '../../../server/sync/slim-doc.js';
import { Room } from '../../../server/sync/room.js';
import { deleteShot, getNotesText, getPromptText, roots, setShotFields, shotsInOrder } from '../../../shared/doc/index.js';
import { fillSmallBoard } from '../../../bench/memory/small-board.js';
import { editOnCopy } from '../../helpers/doc-edit.js';
import { rng } from '../../../bench/lib/stats.js';

/** A small working board (12 shots, references, comments, takes) as stored. */
function storedBoard(): Uint8Array {
  const doc = new Y.Doc();
  fillSmallBoard(doc, rng(7), 'user_a');
  return Y.encodeStateAsUpdate(doc);
}

function load(state: Uint8Array, slim: boolean): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state);
  if (slim) slimDoc(doc);
  return doc;
}

describe('slimming a loaded board document', () => {
  it('keeps the state byte for byte and reads the same', () => {
    const state = storedBoard();
    const slim = load(state, true);
    const plain = load(state, false);
    expect(Y.encodeStateAsUpdate(slim)).toEqual(state);
    expect(slim.getMap('shots').toJSON()).toEqual(plain.getMap('shots').toJSON());
    expect(shotsInOrder(slim)).toEqual(shotsInOrder(plain));
  });

  it('takes later edits exactly as an unslimmed replica does', () => {
    const state = storedBoard();
    const slim = load(state, true);
    const plain = load(state, false);
    const [first, second, third] = [...roots(plain).shots.keys()];
    const edits = [
      editOnCopy(state, (d) => getPromptText(d, first!).insert(3, 'typed ')),
      editOnCopy(state, (d) => setShotFields(d, second!, { durationSec: 6, title: 'Renamed' })),
      editOnCopy(state, (d) => getNotesText(d, first!).insert(0, 'a note')),
      editOnCopy(state, (d) => deleteShot(d, third!)),
    ];
    for (const u of edits) {
      Y.applyUpdate(slim, u);
      Y.applyUpdate(plain, u);
    }
    // A server write into a text walks to its index (the slimmed text keeps no search markers).
    for (const d of [slim, plain]) {
      d.clientID = 4242;
      getPromptText(d, first!).insert(10, 'server ');
      setShotFields(d, first!, { status: 'review' });
    }
    expect(Y.encodeStateAsUpdate(slim)).toEqual(Y.encodeStateAsUpdate(plain));
    expect(shotsInOrder(slim)).toEqual(shotsInOrder(plain));
    expect(getPromptText(slim, first!).toString()).toContain('server ');
  });

  it('is what a room loads and wakes with', () => {
    const state = storedBoard();
    const room = new Room<unknown>('board_1');
    room.load({ parts: [state], snapshotSeq: 1, snapshotBytes: state.byteLength, lastSeq: 1, logCount: 0, bytes: state.byteLength });
    const texts = (doc: Y.Doc) => [...roots(doc).shots.values()].map((s) => (s as Y.Map<unknown>).get('prompt') as Y.Text);
    expect(texts(room.doc).every((t) => t._searchMarker === null)).toBe(true);
    expect(room.sleep()).toBe(true);
    expect(texts(room.doc).every((t) => t._searchMarker === null)).toBe(true);
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(state);
    room.destroy();
  });

  it('holds a small board in at least 5 kB less heap', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const state = storedBoard();
    const perDoc = (slim: boolean) => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const docs = Array.from({ length: 100 }, () => load(state, slim));
      gc();
      const bytes = (process.memoryUsage().heapUsed - before) / docs.length;
      docs.forEach((d) => d.destroy());
      return bytes;
    };
    perDoc(false); // warm-up: compiled code is not charged to either
    const plain = perDoc(false);
    const slim = perDoc(true);
    expect(plain - slim).toBeGreaterThan(5 * 1024);
  });
});
