import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/**
 * Rotating a webhook's signing secret: the secret it replaced is kept until `previous_secret_until`
 * so deliveries in that grace window carry a signature by each (Standard Webhooks lets a header hold
 * several), and a receiver switches secrets without dropping events. Null when never rotated.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { int } = columnTypes(db);
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret', 'text').execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret_until', int).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').dropColumn('previous_secret_until').execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('previous_secret').execute();
}
