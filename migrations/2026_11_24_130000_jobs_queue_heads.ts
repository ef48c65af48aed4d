import type { Kysely } from 'kysely';

/**
 * One entry per queued job in (member, provider) order, oldest first, with the columns the head
 * search filters on: picking the next job seeks this index per (member, provider) pair instead
 * of reading the whole queue, so dispatch stays flat as the queue grows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('jobs_queue_heads')
    .on('jobs')
    .columns(['status', 'created_by', 'provider', 'created_at', 'next_attempt_at', 'board_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_queue_heads').execute();
}
