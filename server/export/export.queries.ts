import type { Kysely } from 'kysely';
import type { AssetsTable, Database, JobsTable } from '../db/schema.js';

/** The board's title as the boards table holds it (what the board list shows). */
export async function boardTitle(db: Kysely<Database>, boardId: string): Promise<string | undefined> {
  const row = await db.selectFrom('boards').select('title').where('id', '=', boardId).executeTakeFirst();
  return row?.title;
}

/** Asset rows of this board among `ids` (ids of other boards are never returned). */
export async function boardAssetsById(db: Kysely<Database>, boardId: string, ids: readonly string[]): Promise<Map<string, AssetsTable>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('assets').selectAll().where('board_id', '=', boardId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export type JobProvenanceRow = Pick<JobsTable, 'id' | 'take_id' | 'model' | 'provider' | 'request' | 'resolved' | 'result' | 'seed' | 'cost_micro_usd' | 'status'>;

/** The job rows that made these takes, by job id. */
export async function boardJobsById(db: Kysely<Database>, boardId: string, ids: readonly string[]): Promise<Map<string, JobProvenanceRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'take_id', 'model', 'provider', 'request', 'resolved', 'result', 'seed', 'cost_micro_usd', 'status'])
    .where('board_id', '=', boardId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Display names of the board's members, by user id (for the assignee column). */
export async function memberNames(db: Kysely<Database>, boardId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('board_members')
    .innerJoin('users', 'users.id', 'board_members.user_id')
    .select(['users.id', 'users.name'])
    .where('board_members.board_id', '=', boardId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Asset name a built sequence is stored under: the content key makes it findable again. */
export const sequenceAssetName = (key: string) => `sequence-${key}.mp4`;

/** A sequence already built for this content key, if one is stored. */
export function findSequenceAsset(db: Kysely<Database>, boardId: string, key: string) {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('board_id', '=', boardId)
    .where('name', '=', sequenceAssetName(key))
    .where('origin', '=', 'derived')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
