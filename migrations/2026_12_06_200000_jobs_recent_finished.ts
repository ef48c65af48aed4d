import type { Kysely } from 'kysely';

/**
 * The finished jobs of one provider and model, newest first: queue estimates read the last few
 * render times of a model on every jobs list, so that read is one index seek.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_recent_finished').on('jobs').columns(['provider', 'model', 'status', 'finished_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_recent_finished').execute();
}
