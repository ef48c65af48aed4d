import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStorage } from '../../server/sync/storage.js';
import { mergeParts } from '../../server/sync/room.js';

let n = 0;
const boardId = () => `board-${process.pid}-${++n}`;

function docFrom(parts: Uint8Array[]) {
  const d = new Y.Doc();
  for (const p of parts) Y.applyUpdate(d, p);
  return d;
}

/** Edits as a client makes them: each transaction's update captured in order. */
function recordEdits(count: number) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2 && text.length > 0) text.delete(0, 1);
    else text.insert(text.length, String(i % 10));
  }
  return { doc, updates };
}

/** The behaviour every DocStorage must have. `make` returns a fresh storage. */
export function storageContract(make: () => Promise<DocStorage>) {
  describe('DocStorage contract', () => {
    it('loads nothing for an unknown board', async () => {
      const s = await make();
      expect(await s.load(boardId())).toEqual({ parts: [], bytes: 0, logCount: 0 });
    });

    it('appends in order, across boards in one batch, and loads what was appended', async () => {
      const s = await make();
      const [a, b] = [boardId(), boardId()];
      const ea = recordEdits(20);
      const eb = recordEdits(7);
      await s.append([...ea.updates.map((update) => ({ boardId: a, update })), ...eb.updates.map((update) => ({ boardId: b, update }))]);
      const la = await s.load(a);
      expect(la.logCount).toBe(20);
      expect(la.bytes).toBe(ea.updates.reduce((x, u) => x + u.byteLength, 0));
      expect(docFrom(la.parts).getText('t').toString()).toBe(ea.doc.getText('t').toString());
      expect(docFrom((await s.load(b)).parts).getText('t').toString()).toBe(eb.doc.getText('t').toString());
    });

    it('compacts into a snapshot that loads to the same document, smaller than the log', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(2000);
      await s.append(e.updates.map((update) => ({ boardId: id, update })));
      const before = await s.load(id);
      const res = await s.compact(id, mergeParts);
      expect(res.compacted).toBe(true);
      const after = await s.load(id);
      expect(after.logCount).toBe(0);
      expect(after.parts).toHaveLength(1);
      expect(after.bytes).toBeLessThan(before.bytes / 4);
      expect(res.bytesAfter).toBe(after.bytes);
      expect(docFrom(after.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
    });

    it('keeps appends made after a compaction, and compacts again', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(300);
      await s.append(e.updates.slice(0, 100).map((update) => ({ boardId: id, update })));
      await s.compact(id, mergeParts);
      await s.append(e.updates.slice(100).map((update) => ({ boardId: id, update })));
      expect((await s.load(id)).logCount).toBe(200);
      expect(docFrom((await s.load(id)).parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
      await s.compact(id, mergeParts);
      const l = await s.load(id);
      expect(l.logCount).toBe(0);
      expect(docFrom(l.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
    });

    it('survives two compactions at once without losing anything', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(500);
      await s.append(e.updates.map((update) => ({ boardId: id, update })));
      await Promise.all([s.compact(id, mergeParts), s.compact(id, mergeParts), s.append([{ boardId: id, update: e.updates[0]! }])]);
      expect(docFrom((await s.load(id)).parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
    });

    it('a compaction with nothing in the log changes nothing', async () => {
      const s = await make();
      const id = boardId();
      expect((await s.compact(id, mergeParts)).compacted).toBe(false);
    });

    it('deletes a board entirely', async () => {
      const s = await make();
      const id = boardId();
      await s.append(recordEdits(10).updates.map((update) => ({ boardId: id, update })));
      await s.compact(id, mergeParts);
      await s.append(recordEdits(3).updates.map((update) => ({ boardId: id, update })));
      await s.delete(id);
      expect(await s.load(id)).toEqual({ parts: [], bytes: 0, logCount: 0 });
    });
  });
}
