import { sql, type Kysely } from 'kysely';
import { columnTypes, serialKey } from './dialect.js';

/**
 * Outgoing webhooks: endpoints a board owner registers (URL, events, signing secret), the durable
 * queue of deliveries (one row per event and endpoint, retried until it succeeds or runs out of
 * attempts; survives restarts) and each attempt's answer for the owner to read. Gone with the board.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  const [serial, serialBuild] = serialKey(db);
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON array of event types (shared/webhooks.ts).
    .addColumn('events', 'text', (c) => c.notNull())
    // Kept readable: HMAC needs the key itself. Shown to the owner once, at creation.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_by_board').on('webhook_endpoints').column('board_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    // The exact JSON body signed and sent on every attempt.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn('attempts', t.int, (c) => c.notNull())
    .addColumn('next_attempt_at', t.int, (c) => c.notNull())
    .addColumn('created_at', t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_by_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', serial, serialBuild)
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('at', t.int, (c) => c.notNull())
    // HTTP status of the answer, or null when none came (refused, timed out, connection failed: see error).
    .addColumn('status_code', t.int)
    .addColumn('error', 'text')
    .addColumn('body_excerpt', 'text')
    .addColumn('duration_ms', t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_by_delivery').on('webhook_attempts').column('delivery_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
