import type { Kysely } from 'kysely';
import { columnTypes, serialKey } from './dialect.js';

/**
 * Board documents: an append log of Yjs updates and one compacted snapshot per board. No
 * foreign key to boards: a group commit spans boards, and one deleted board must not fail the
 * batch of the others; the sync hub deletes a board's rows when the board is deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('doc_updates')
    .addColumn('seq', ...serialKey(db))
    .addColumn('board_id', 'text', (c) => c.notNull())
    .addColumn('data', t.blob, (c) => c.notNull())
    .addColumn('created_at', t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('doc_updates_board_seq').on('doc_updates').columns(['board_id', 'seq']).execute();

  await db.schema
    .createTable('doc_snapshots')
    .addColumn('board_id', 'text', (c) => c.primaryKey())
    .addColumn('data', t.blob, (c) => c.notNull())
    .addColumn('upto_seq', t.int, (c) => c.notNull())
    .addColumn('updated_at', t.int, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_snapshots').execute();
  await db.schema.dropTable('doc_updates').execute();
}
