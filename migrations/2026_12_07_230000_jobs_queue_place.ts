import type { Kysely } from 'kysely';

/**
 * Queue positions leave out chain-batch takes still waiting for their upstream take.
 *
 * Such a take is a queued job due at the far-future WAITING_AT (server/generation/pending-tail.ts):
 * it is ahead of no one until that take finishes. A job's place in the queue counts the queued jobs
 * before it that are not waiting: jobs_queue_place is jobs_queue_order (status, created_at, id) with
 * next_attempt_at after them, so the count still reads the index alone, a range per job, and
 * skips the waiting ones inside it. It replaces jobs_queue_order, which nothing else reads.
 * Plain columns, no partial index: both engines build and use it the same way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_queue_place').on('jobs').columns(['status', 'created_at', 'id', 'next_attempt_at']).execute();
  await db.schema.dropIndex('jobs_queue_order').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_queue_order').on('jobs').columns(['status', 'created_at', 'id']).execute();
  await db.schema.dropIndex('jobs_queue_place').execute();
}
