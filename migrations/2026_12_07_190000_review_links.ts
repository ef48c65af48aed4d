import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/**
 * Guest review links (server/review-links/): a board owner's expiring, revocable link that lets
 * someone without an account watch and comment. Only the SHA-256 of the link's secret is kept;
 * a revoked link keeps its row so its use is answered "revoked" rather than "unknown". Each guest
 * who typed a name on a link gets a guest session (its cookie's secret also kept hashed), which
 * lives only as long as its link does. Both go with the board.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { int } = columnTypes(db);
  await db.schema
    .createTable('review_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', int, (c) => c.notNull())
    .addColumn('expires_at', int, (c) => c.notNull())
    .addColumn('revoked_at', int)
    .addColumn('last_used_at', int)
    .execute();
  await db.schema.createIndex('review_links_by_board').on('review_links').column('board_id').execute();

  await db.schema
    .createTable('guest_sessions')
    // Public id: the author id of this guest's comments in the board document.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('link_id', 'text', (c) => c.notNull().references('review_links.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('guest_sessions_by_link').on('guest_sessions').column('link_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('guest_sessions').execute();
  await db.schema.dropTable('review_links').execute();
}
