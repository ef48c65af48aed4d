import { sql, type Kysely } from 'kysely';
import { columnTypes, isPostgres } from './dialect.js';

/**
 * Two more kinds of inbox entry: a take made from someone's note finished or failed
 * ('note_take_succeeded', 'note_take_failed'), and a guest commented through a review link
 * ('guest_comment'). SQLite cannot change a CHECK constraint in place, so the table is rebuilt
 * with the new one and its rows copied (nothing references it); PostgreSQL changes the
 * constraint in place (the name it gave the column's check when the table was created).
 */
const BEFORE = "('mention', 'reply', 'take_succeeded', 'take_failed', 'budget')";
const AFTER = "('mention', 'reply', 'take_succeeded', 'take_failed', 'budget', 'note_take_succeeded', 'note_take_failed', 'guest_comment')";

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The old schema has no words for these entries: they go.
  await db.deleteFrom('notifications').where('kind', 'in', ['note_take_succeeded', 'note_take_failed', 'guest_comment']).execute();
  await rebuild(db, BEFORE);
}

async function rebuild(db: Kysely<any>, kinds: string): Promise<void> {
  if (isPostgres(db)) {
    const check = sql.id('notifications_kind_check');
    await sql`alter table notifications drop constraint ${check}, add constraint ${check} check (kind in ${sql.raw(kinds)})`.execute(db);
    return;
  }
  const t = columnTypes(db);
  await db.schema
    .createTable('notifications_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ${sql.raw(kinds)}`))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('shot_id', 'text')
    .addColumn('take_id', 'text')
    .addColumn('comment_id', 'text')
    .addColumn('at_sec', t.real)
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', t.int, (c) => c.notNull())
    .addColumn('read_at', t.int)
    .execute();
  await sql`insert into notifications_next (id, user_id, board_id, kind, actor_id, shot_id, take_id, comment_id, at_sec, text, created_at, read_at) select id, user_id, board_id, kind, actor_id, shot_id, take_id, comment_id, at_sec, text, created_at, read_at from notifications`.execute(db);
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('notifications_next').renameTo('notifications').execute();
  // The inbox (newest first) and the unread count are both read per user.
  await db.schema.createIndex('notifications_user_created').on('notifications').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'read_at']).execute();
}
