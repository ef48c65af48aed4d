import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Whether the database answers a query right now (readiness: `GET /api/ready`). */
export async function databaseAnswers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
