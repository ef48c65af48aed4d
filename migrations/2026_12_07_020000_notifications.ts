import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/**
 * Each person's inbox (mentions, replies, takes finished or failed on their shots, budget
 * warnings) and each member's presence colour on a board. Colours live in their own table, not
 * in board_members, so a slot survives role changes and the members table stays the roles' own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mention', 'reply', 'take_succeeded', 'take_failed', 'budget')`))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('shot_id', 'text')
    .addColumn('take_id', 'text')
    .addColumn('comment_id', 'text')
    .addColumn('at_sec', t.real)
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', t.int, (c) => c.notNull())
    .addColumn('read_at', t.int)
    .execute();
  // The inbox (newest first) and the unread count are both read per user.
  await db.schema.createIndex('notifications_user_created').on('notifications').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'read_at']).execute();

  await db.schema
    .createTable('presence_colours')
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('slot', t.int, (c) => c.notNull().check(sql`slot >= 0`))
    .addPrimaryKeyConstraint('presence_colours_pk', ['board_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('presence_colours').execute();
  await db.schema.dropTable('notifications').execute();
}
