import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { AppendItem, CompactionResult, DocStorage, StoredDoc } from './storage.js';

/** DocStorage over the app's libSQL database (tables from the board_documents migration). */
export function createLibsqlStorage(db: Kysely<Database>, clock: Clock): DocStorage {
  async function read(boardId: string) {
    const snap = await db.selectFrom('doc_snapshots').select(['data', 'upto_seq']).where('board_id', '=', boardId).executeTakeFirst();
    const log = await db
      .selectFrom('doc_updates')
      .select(['seq', 'data'])
      .where('board_id', '=', boardId)
      .where('seq', '>', snap?.upto_seq ?? 0)
      .orderBy('seq')
      .execute();
    return { snap, log };
  }

  return {
    async load(boardId): Promise<StoredDoc> {
      const { snap, log } = await read(boardId);
      const parts = [...(snap ? [snap.data] : []), ...log.map((r) => r.data)];
      return { parts, bytes: parts.reduce((n, p) => n + p.byteLength, 0), logCount: log.length };
    },

    async append(items: AppendItem[]) {
      if (items.length === 0) return;
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        // One statement per chunk keeps a burst of small updates to a single round trip.
        for (let i = 0; i < items.length; i += 200) {
          const chunk = items.slice(i, i + 200).map((it) => ({ board_id: it.boardId, data: it.update, created_at: now }));
          await tx.insertInto('doc_updates').values(chunk).execute();
        }
      });
    },

    async compact(boardId, merge): Promise<CompactionResult> {
      const { snap, log } = await read(boardId);
      const before = (snap?.data.byteLength ?? 0) + log.reduce((n, r) => n + r.data.byteLength, 0);
      if (log.length === 0) return { compacted: false, bytesBefore: before, bytesAfter: before };
      const uptoSeq = log[log.length - 1]!.seq;
      // The merge runs outside the transaction: it is CPU work and must not hold the writer lock.
      const data = merge([...(snap ? [snap.data] : []), ...log.map((r) => r.data)]);
      const committed = await db.transaction().execute(async (tx) => {
        const current = await tx.selectFrom('doc_snapshots').select('upto_seq').where('board_id', '=', boardId).executeTakeFirst();
        // Someone else compacted meanwhile: our snapshot may lack what theirs folded in. Let theirs stand.
        if ((current?.upto_seq ?? 0) !== (snap?.upto_seq ?? 0)) return false;
        await tx
          .insertInto('doc_snapshots')
          .values({ board_id: boardId, data, upto_seq: uptoSeq, updated_at: clock.now() })
          .onConflict((oc) => oc.column('board_id').doUpdateSet({ data, upto_seq: uptoSeq, updated_at: clock.now() }))
          .execute();
        await tx.deleteFrom('doc_updates').where('board_id', '=', boardId).where('seq', '<=', uptoSeq).execute();
        return true;
      });
      if (!committed) return { compacted: false, bytesBefore: before, bytesAfter: before };
      const rest = await db
        .selectFrom('doc_updates')
        .select((eb) => eb.fn.sum<number>(eb.fn('length', ['data'])).as('n'))
        .where('board_id', '=', boardId)
        .executeTakeFirst();
      return { compacted: true, bytesBefore: before, bytesAfter: data.byteLength + Number(rest?.n ?? 0) };
    },

    async delete(boardId) {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('doc_updates').where('board_id', '=', boardId).execute();
        await tx.deleteFrom('doc_snapshots').where('board_id', '=', boardId).execute();
      });
    },
  };
}
