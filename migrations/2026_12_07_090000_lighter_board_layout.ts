import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { convertLegacyLayout } from '../shared/doc/legacy-layout.js';

/**
 * Boards weigh less in memory (issue 23): every stored board document is rewritten to the lighter
 * layout (shared/doc/legacy-layout.ts): no `id` inside entities, a shot's assignments as
 * `ref:<referenceId>` keys and its takes as one plain record per `take:<takeId>` key, every
 * value kept. Each board is loaded as the sync server would (its snapshot, then the log after
 * it), converted, and the change appended to its log as one more update: nothing stored is
 * rewritten in place. Written with the query builder only, so it runs on any Kysely dialect.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const withSnapshot = await db.selectFrom('doc_snapshots').select('board_id').execute();
  const withLog = await db.selectFrom('doc_updates').select('board_id').distinct().execute();
  const boardIds = [...new Set([...withSnapshot, ...withLog].map((r) => r.board_id as string))].sort();
  const now = Date.now();
  for (const boardId of boardIds) {
    const doc = await loadBoard(db, boardId);
    const before = Y.encodeStateVector(doc);
    if (!convertLegacyLayout(doc)) continue;
    await db.insertInto('doc_updates').values({ board_id: boardId, data: Y.encodeStateAsUpdate(doc, before), created_at: now }).execute();
  }
}

async function loadBoard(db: Kysely<any>, boardId: string): Promise<Y.Doc> {
  const snapshot = await db.selectFrom('doc_snapshots').select(['data', 'upto_seq']).where('board_id', '=', boardId).executeTakeFirst();
  const log = await db
    .selectFrom('doc_updates')
    .select('data')
    .where('board_id', '=', boardId)
    .where('seq', '>', Number(snapshot?.upto_seq ?? 0))
    .orderBy('seq')
    .execute();
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const { data } of snapshot ? [snapshot, ...log] : log) Y.applyUpdate(doc, new Uint8Array(data));
  });
  return doc;
}

/**
 * Nothing to undo in the tables; documents keep the lighter layout (code from before it would
 * read boards without assignments or takes, so a downgrade needs a restore from backup).
 */
export async function down(): Promise<void> {}
