import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/** The durable generation queue and the cost ledger (one row per billed job). */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('shot_id', 'text', (c) => c.notNull())
    .addColumn('take_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'canceled')`))
    .addColumn('phase', 'text')
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('resolved', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('estimate_usd', t.real, (c) => c.notNull())
    .addColumn('cost_usd', t.real)
    .addColumn('seed', t.int)
    .addColumn('idempotency_key', 'text')
    .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', t.int, (c) => c.notNull())
    .addColumn('next_attempt_at', t.int, (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', t.int)
    .addColumn('provider_job_id', 'text')
    .addColumn('cancel_requested', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', t.int, (c) => c.notNull())
    .addColumn('started_at', t.int)
    .addColumn('finished_at', t.int)
    .addColumn('updated_at', t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_idempotency').on('jobs').columns(['board_id', 'created_by', 'idempotency_key']).unique().where(sql.ref('idempotency_key'), 'is not', null).execute();
  await db.schema.createIndex('jobs_queue').on('jobs').columns(['status', 'created_by', 'created_at']).execute();
  await db.schema.createIndex('jobs_board').on('jobs').columns(['board_id', 'created_at']).execute();

  await db.schema
    .createTable('cost_ledger')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('shot_id', 'text', (c) => c.notNull())
    .addColumn('amount_usd', t.real, (c) => c.notNull())
    .addColumn('created_at', t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cost_ledger_board').on('cost_ledger').column('board_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cost_ledger').execute();
  await db.schema.dropTable('jobs').execute();
}
