import type { Kysely } from 'kysely';
import { columnTypes, serialKey } from './dialect.js';

/**
 * A shot's history: who changed which field, from what to what, and when. Written by the sync
 * hub in the same transaction as the document update it describes (server/history), so it
 * survives compaction, which folds the update log itself away. Typing in one field by one
 * person is one row that grows (`changed_at` moves on) rather than a row per keystroke.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('shot_changes')
    .addColumn('id', ...serialKey(db))
    .addColumn('board_id', 'text', (c) => c.notNull())
    .addColumn('shot_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('before_text', 'text', (c) => c.notNull())
    .addColumn('after_text', 'text', (c) => c.notNull())
    // 1 when before or after was longer than the bound and cut: such an entry cannot be restored.
    .addColumn('truncated', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.int, (c) => c.notNull())
    .addColumn('changed_at', t.int, (c) => c.notNull())
    .execute();
  // The panel's read (a shot's entries) and the coalescing lookup (a person's latest entry in a
  // shot's field) are both one range of this index.
  await db.schema.createIndex('shot_changes_by_shot').on('shot_changes').columns(['board_id', 'shot_id', 'field', 'user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shot_changes').execute();
}
