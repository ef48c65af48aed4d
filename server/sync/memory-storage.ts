import type { AppendItem, CompactionResult, DocStorage, StoredDoc } from './storage.js';

interface Entry {
  snapshot: Uint8Array | null;
  log: Uint8Array[];
}

/** In-memory DocStorage for tests and benchmarks; same contract as the libSQL one. */
export function createMemoryStorage(): DocStorage & { boards: Map<string, Entry> } {
  const boards = new Map<string, Entry>();
  const entry = (id: string) => {
    let e = boards.get(id);
    if (!e) boards.set(id, (e = { snapshot: null, log: [] }));
    return e;
  };
  const bytesOf = (e: Entry) => (e.snapshot?.byteLength ?? 0) + e.log.reduce((n, u) => n + u.byteLength, 0);
  return {
    boards,
    async load(boardId): Promise<StoredDoc> {
      const e = boards.get(boardId);
      if (!e) return { parts: [], bytes: 0, logCount: 0 };
      return { parts: [...(e.snapshot ? [e.snapshot] : []), ...e.log], bytes: bytesOf(e), logCount: e.log.length };
    },
    async append(items: AppendItem[]) {
      for (const { boardId, update } of items) entry(boardId).log.push(update.slice());
    },
    async compact(boardId, merge): Promise<CompactionResult> {
      const e = boards.get(boardId);
      if (!e || e.log.length === 0) {
        const b = e ? bytesOf(e) : 0;
        return { compacted: false, bytesBefore: b, bytesAfter: b };
      }
      const before = bytesOf(e);
      const taken = e.log.length;
      const snapshot = merge([...(e.snapshot ? [e.snapshot] : []), ...e.log.slice(0, taken)]);
      e.snapshot = snapshot;
      e.log = e.log.slice(taken);
      return { compacted: true, bytesBefore: before, bytesAfter: bytesOf(e) };
    },
    async delete(boardId) {
      boards.delete(boardId);
    },
  };
}
