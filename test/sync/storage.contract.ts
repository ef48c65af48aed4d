import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CompactRequest, DocStorage, StoredDoc } from '../../server/sync/storage.js';

let n = 0;
const boardId = () => `board-${process.pid}-${++n}`;

export function docFrom(parts: Uint8Array[]) {
  const d = new Y.Doc();
  for (const p of parts) Y.applyUpdate(d, p);
  return d;
}

/** Edits as a client makes them: each transaction's update captured in order. */
export function recordEdits(count: number) {
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

/** The compaction the hub would ask for, holding exactly what `stored` loaded. */
export function compactionOf(stored: StoredDoc): CompactRequest {
  return { snapshot: Y.encodeStateAsUpdate(docFrom(stored.parts)), baseSeq: stored.snapshotSeq, uptoSeq: stored.lastSeq, logCount: stored.logCount };
}

const textOf = (stored: StoredDoc) => docFrom(stored.parts).getText('t').toString();
const items = (id: string, updates: Uint8Array[]) => updates.map((update) => ({ boardId: id, update }));

/** The behaviour every DocStorage must have. `make` returns a fresh storage. */
export function storageContract(make: () => Promise<DocStorage>) {
  describe('DocStorage contract', () => {
    it('loads nothing for an unknown board', async () => {
      const s = await make();
      expect(await s.load(boardId())).toEqual({ parts: [], bytes: 0, logCount: 0, snapshotSeq: 0, snapshotBytes: 0, lastSeq: 0 });
    });

    it('appends in order, across boards in one batch, with increasing seqs, and loads what was appended', async () => {
      const s = await make();
      const [a, b] = [boardId(), boardId()];
      const ea = recordEdits(20);
      const eb = recordEdits(7);
      const seqs = await s.append([...items(a, ea.updates), ...items(b, eb.updates)]);
      expect(seqs).toHaveLength(27);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
      const la = await s.load(a);
      expect(la).toMatchObject({ logCount: 20, snapshotSeq: 0, snapshotBytes: 0, lastSeq: seqs[19] });
      expect(la.bytes).toBe(ea.updates.reduce((x, u) => x + u.byteLength, 0));
      expect(textOf(la)).toBe(ea.doc.getText('t').toString());
      expect(textOf(await s.load(b))).toBe(eb.doc.getText('t').toString());
      expect((await s.load(b)).lastSeq).toBe(seqs[26]);
    });

    it('compacts into a snapshot that loads to the same document, smaller than the log', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(2000);
      await s.append(items(id, e.updates));
      const before = await s.load(id);
      const req = compactionOf(before);
      const res = await s.compact(id, req);
      expect(res.compacted).toBe(true);
      const after = await s.load(id);
      expect(after).toMatchObject({ logCount: 0, snapshotSeq: before.lastSeq, lastSeq: before.lastSeq, snapshotBytes: req.snapshot.byteLength });
      expect(after.parts).toHaveLength(1);
      expect(after.bytes).toBeLessThan(before.bytes / 4);
      expect(res.bytesAfter).toBe(after.bytes);
      expect(textOf(after)).toBe(e.doc.getText('t').toString());
    });

    it('keeps entries appended after the snapshot was taken, and compacts again from the new base', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(300);
      await s.append(items(id, e.updates.slice(0, 100)));
      const req = compactionOf(await s.load(id));
      // Written while the compaction is on its way: after its uptoSeq, so they stay in the log.
      await s.append(items(id, e.updates.slice(100, 150)));
      expect((await s.compact(id, req)).compacted).toBe(true);
      await s.append(items(id, e.updates.slice(150)));
      const mid = await s.load(id);
      // Nothing applied twice: the log holds exactly the entries after the snapshot.
      expect(mid).toMatchObject({ logCount: 200, snapshotSeq: req.uptoSeq });
      expect(textOf(mid)).toBe(e.doc.getText('t').toString());
      expect((await s.compact(id, compactionOf(mid))).compacted).toBe(true);
      const l = await s.load(id);
      expect(l.logCount).toBe(0);
      expect(textOf(l)).toBe(e.doc.getText('t').toString());
    });

    it('lets one of two compactions from the same base win, losing nothing', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(500);
      await s.append(items(id, e.updates.slice(0, 499)));
      const stored = await s.load(id);
      const [r1, r2] = await Promise.all([s.compact(id, compactionOf(stored)), s.compact(id, compactionOf(stored)), s.append(items(id, e.updates.slice(499)))]);
      expect([r1.compacted, r2.compacted].filter(Boolean)).toHaveLength(1);
      expect(textOf(await s.load(id))).toBe(e.doc.getText('t').toString());
    });

    it('never lowers the snapshot: a compaction from a stale base is refused', async () => {
      const s = await make();
      const id = boardId();
      const e = recordEdits(200);
      await s.append(items(id, e.updates.slice(0, 100)));
      const stale = compactionOf(await s.load(id));
      await s.append(items(id, e.updates.slice(100)));
      expect((await s.compact(id, compactionOf(await s.load(id)))).compacted).toBe(true);
      const ahead = await s.load(id);
      expect((await s.compact(id, stale)).compacted).toBe(false);
      expect(await s.load(id)).toEqual(ahead);
      expect(textOf(ahead)).toBe(e.doc.getText('t').toString());
    });

    it('refuses to fold in entries the caller has not seen (another instance wrote them)', async () => {
      const s = await make();
      const id = boardId();
      const mine = recordEdits(20);
      await s.append(items(id, mine.updates.slice(0, 10)));
      const other = new Y.Doc();
      other.getText('u').insert(0, 'from elsewhere');
      await s.append(items(id, [Y.encodeStateAsUpdate(other)]));
      await s.append(items(id, mine.updates.slice(10)));
      const all = await s.load(id);
      // This instance's document holds its own 20 entries, up to the last seq, but not the other one.
      const req = { snapshot: Y.encodeStateAsUpdate(mine.doc), baseSeq: 0, uptoSeq: all.lastSeq, logCount: 20 };
      expect((await s.compact(id, req)).compacted).toBe(false);
      const after = await s.load(id);
      expect(after).toEqual(all);
      expect(docFrom(after.parts).getText('u').toString()).toBe('from elsewhere');
    });

    it('a compaction with nothing in the log changes nothing', async () => {
      const s = await make();
      const id = boardId();
      expect((await s.compact(id, { snapshot: new Uint8Array([0, 0]), baseSeq: 0, uptoSeq: 0, logCount: 0 })).compacted).toBe(false);
      expect(await s.load(id)).toEqual({ parts: [], bytes: 0, logCount: 0, snapshotSeq: 0, snapshotBytes: 0, lastSeq: 0 });
    });

    it('deletes a board entirely', async () => {
      const s = await make();
      const id = boardId();
      await s.append(items(id, recordEdits(10).updates));
      await s.compact(id, compactionOf(await s.load(id)));
      await s.append(items(id, recordEdits(3).updates));
      await s.delete(id);
      expect(await s.load(id)).toEqual({ parts: [], bytes: 0, logCount: 0, snapshotSeq: 0, snapshotBytes: 0, lastSeq: 0 });
    });
  });
}
