import type { Kysely } from 'kysely';

/**
 * A board's jobs list shows each queued job's place in the whole queue. jobs_board_status finds
 * the board's queued jobs; jobs_queue_order holds every job in queue order (status, then when it
 * was queued, then id), so a job's place is a count over an index range, never a scan of the
 * jobs of every board.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_board_status').on('jobs').columns(['board_id', 'status']).execute();
  await db.schema.createIndex('jobs_queue_order').on('jobs').columns(['status', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_queue_order').execute();
  await db.schema.dropIndex('jobs_board_status').execute();
}
