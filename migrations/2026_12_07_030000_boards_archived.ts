import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/** Archived boards: hidden from the boards list by default and read-only until their owner restores them. */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('boards').addColumn('archived_at', t.int).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('boards').dropColumn('archived_at').execute();
}
