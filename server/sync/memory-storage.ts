import { emptyDoc, type AppendItem, type CompactionResult, type DocStorage, type StoredDoc } from './storage.js';

interface Entry {
  snapshot: { data: Uint8Array; uptoSeq: number } | null;
  log: { seq: number; data: Uint8Array }[];
}

/** In-memory DocStorage for tests and benchmarks; same contract as the libSQL one. */
export function createMemoryStorage(): DocStorage & { boards: Map<string, Entry> } {
  const boards = new Map<string, Entry>();
  // One sequence across boards, as the libSQL log's autoincrement key.
  let seq = 0;
  const entry = (id: string) => {
    let e = boards.get(id);
    if (!e) boards.set(id, (e = { snapshot: null, log: [] }));
    return e;
  };
  const bytesOf = (e: Entry) => (e.snapshot?.data.byteLength ?? 0) + e.log.reduce((n, u) => n + u.data.byteLength, 0);
  return {
    boards,
    async load(boardId): Promise<StoredDoc> {
      const e = boards.get(boardId);
      if (!e) return emptyDoc();
      const snapshotSeq = e.snapshot?.uptoSeq ?? 0;
      return {
        parts: [...(e.snapshot ? [e.snapshot.data] : []), ...e.log.map((u) => u.data)],
        bytes: bytesOf(e),
        logCount: e.log.length,
        snapshotSeq,
        snapshotBytes: e.snapshot?.data.byteLength ?? 0,
        lastSeq: e.log.at(-1)?.seq ?? snapshotSeq,
      };
    },
    async append(items: AppendItem[]) {
      // Shot history is the libSQL storage's: history-only items store nothing here.
      return items.map(({ boardId, update }) => {
        if (!update) return 0;
        entry(boardId).log.push({ seq: ++seq, data: update.slice() });
        return seq;
      });
    },
    async compact(boardId, req): Promise<CompactionResult> {
      const e = boards.get(boardId);
      if (!e) return { compacted: false, bytesAfter: 0 };
      const folded = e.log.filter((u) => u.seq > req.baseSeq && u.seq <= req.uptoSeq).length;
      const ok = req.logCount > 0 && req.uptoSeq > req.baseSeq && (e.snapshot?.uptoSeq ?? 0) === req.baseSeq && folded === req.logCount;
      if (ok) {
        e.snapshot = { data: req.snapshot.slice(), uptoSeq: req.uptoSeq };
        e.log = e.log.filter((u) => u.seq > req.uptoSeq);
      }
      return { compacted: ok, bytesAfter: bytesOf(e) };
    },
    async delete(boardId) {
      boards.delete(boardId);
    },
  };
}
