import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/**
 * What a person needs to tell their sessions apart in "Devices and sessions": the browser that
 * opened each one and when it was last used. Sessions from before this have neither (shown as
 * "Unknown device", last seen when next used).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', t.int).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute();
}
