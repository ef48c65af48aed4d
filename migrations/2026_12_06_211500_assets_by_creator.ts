import type { Kysely } from 'kysely';

/** Storage quotas sum a user's asset bytes before every upload, generation and export: one index range. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('assets_by_creator').on('assets').columns(['created_by', 'bytes']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('assets_by_creator').execute();
}
