/**
 * Every statement about seam scores (table `seam_scores`, one row per pair of takes). Kysely's
 * builder only, so PostgreSQL runs them as they are.
 */
import type { Kysely } from 'kysely';
import type { Database, SeamScoresTable } from '../db/schema.js';

/** The stored seams of a board whose downstream take is one of `downstreamTakeIds`. */
export async function seamsOf(db: Kysely<Database>, boardId: string, downstreamTakeIds: readonly string[]): Promise<SeamScoresTable[]> {
  if (downstreamTakeIds.length === 0) return [];
  return db.selectFrom('seam_scores').selectAll().where('board_id', '=', boardId).where('downstream_take_id', 'in', downstreamTakeIds).execute();
}

/** Whether a pair has a stored seam (scored or not). */
export async function hasSeam(db: Kysely<Database>, upstreamTakeId: string, downstreamTakeId: string): Promise<boolean> {
  const row = await db.selectFrom('seam_scores').select('scored_at').where('upstream_take_id', '=', upstreamTakeId).where('downstream_take_id', '=', downstreamTakeId).executeTakeFirst();
  return row !== undefined;
}

/** Stores a pair's seam, replacing an earlier one (a pair is scored once; a rerun gives the same figures). */
export async function saveSeam(db: Kysely<Database>, row: SeamScoresTable): Promise<void> {
  const { upstream_take_id: _u, downstream_take_id: _d, ...rest } = row;
  await db.insertInto('seam_scores').values(row).onConflict((oc) => oc.columns(['upstream_take_id', 'downstream_take_id']).doUpdateSet(rest)).execute();
}
