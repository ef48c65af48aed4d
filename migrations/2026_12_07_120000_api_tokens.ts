import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/**
 * Personal access tokens (server/auth/api-tokens.ts): only the SHA-256 of the secret is kept, like
 * sessions. A revoked token keeps its row (revoked_at) so its use is answered "this token was
 * revoked" rather than "unknown". `boards` is a JSON array of board ids, or null for all the
 * owner's boards; membership is still checked on every request. Gone with the account.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { int } = columnTypes(db);
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('boards', 'text')
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('created_at', int, (c) => c.notNull())
    .addColumn('last_used_at', int)
    .addColumn('expires_at', int)
    .addColumn('revoked_at', int)
    .execute();
  await db.schema.createIndex('api_tokens_by_user').on('api_tokens').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
}
