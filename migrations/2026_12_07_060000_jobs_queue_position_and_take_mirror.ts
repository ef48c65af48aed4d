import { sql, type Kysely } from 'kysely';

/**
 * Queue positions by index, and the jobs table as the truth for each take's status.
 *
 * A board's jobs list shows each queued job's place in the whole queue. jobs_board_status finds
 * the board's queued jobs; jobs_queue_order holds every job in queue order (status, then when it
 * was queued, then id), so a job's place is a count over an index range, never a scan of the
 * jobs of every board.
 *
 * `doc_status` is the status last written into the job's take in the board document (the take
 * mirror, server/generation/take-mirror.ts). Where it differs from `status` the document is
 * behind (a write failed, or the server stopped between the two): jobs_take_behind lists exactly
 * those rows, so the mirror's sweep finds them without reading the others. Jobs that exist now
 * were mirrored by the code that wrote them: they start even.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_board_status').on('jobs').columns(['board_id', 'status']).execute();
  await db.schema.createIndex('jobs_queue_order').on('jobs').columns(['status', 'created_at', 'id']).execute();
  await db.schema.alterTable('jobs').addColumn('doc_status', 'text').execute();
  await sql`update jobs set doc_status = status`.execute(db);
  // IS DISTINCT FROM: SQLite reads it as its own `IS NOT` (the same index on a libSQL database made before), and PostgreSQL knows it.
  await sql`create index jobs_take_behind on jobs (updated_at) where doc_status is distinct from status`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_take_behind').execute();
  await db.schema.alterTable('jobs').dropColumn('doc_status').execute();
  await db.schema.dropIndex('jobs_queue_order').execute();
  await db.schema.dropIndex('jobs_board_status').execute();
}
