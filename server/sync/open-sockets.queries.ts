import type { Kysely } from 'kysely';
import type { Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';

/** Each member of these boards with their role, and whether their board is archived. */
export async function membershipsOn(db: Kysely<Database>, boardIds: string[]): Promise<{ boardId: string; userId: string; role: Role; archived: boolean }[]> {
  if (boardIds.length === 0) return [];
  const rows = await db
    .selectFrom('board_members')
    .innerJoin('boards', 'boards.id', 'board_members.board_id')
    .select(['board_id', 'user_id', 'role', 'boards.archived_at'])
    .where('board_id', 'in', boardIds)
    .execute();
  return rows.map((r) => ({ boardId: r.board_id, userId: r.user_id, role: r.role, archived: r.archived_at !== null }));
}

/** Which of these sessions are still valid at `now`. */
export async function liveSessionIds(db: Kysely<Database>, sessionIds: string[], now: number): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db.selectFrom('sessions').select('id').where('id', 'in', sessionIds).where('expires_at', '>', now).execute();
  return new Set(rows.map((r) => r.id));
}
