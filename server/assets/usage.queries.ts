import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Bytes the assets table holds for one user (everything they uploaded, generated or exported,
 * on every board) and for one board (everyone's). Both come from the rows the routes insert, so
 * a quota counts exactly what people see listed; a blob shared by two boards counts on both.
 * Each sum is one index range (assets_by_creator, assets_board_sha).
 */
export async function storageUsage(db: Kysely<Database>, userId: string, boardId: string): Promise<{ userBytes: number; boardBytes: number }> {
  const { rows } = await sql<{ user_bytes: number | null; board_bytes: number | null }>`
    select (select sum(bytes) from assets where created_by = ${userId}) as user_bytes,
           (select sum(bytes) from assets where board_id = ${boardId}) as board_bytes`.execute(db);
  return { userBytes: Number(rows[0]?.user_bytes ?? 0), boardBytes: Number(rows[0]?.board_bytes ?? 0) };
}
