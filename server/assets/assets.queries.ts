import type { Kysely } from 'kysely';
import type { Asset } from '../../shared/api.js';
import type { AssetsTable, Database } from '../db/schema.js';

export function toAsset(r: AssetsTable): Asset {
  return {
    id: r.id,
    kind: r.kind,
    mime: r.mime,
    bytes: r.bytes,
    sha256: r.sha256,
    width: r.width,
    height: r.height,
    ...(r.duration_sec !== null ? { durationSec: r.duration_sec } : {}),
    name: r.name,
    origin: r.origin,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Inserts an asset unless the board already holds the same bytes; returns the row that stands. */
export async function insertAssetOnce(db: Kysely<Database>, row: AssetsTable): Promise<AssetsTable> {
  await db.insertInto('assets').values(row).onConflict((oc) => oc.columns(['board_id', 'sha256']).doNothing()).execute();
  return db.selectFrom('assets').selectAll().where('board_id', '=', row.board_id).where('sha256', '=', row.sha256).executeTakeFirstOrThrow();
}

/** An asset together with the caller's role on its board, or undefined when they are not a member. */
export function assetForMember(db: Kysely<Database>, assetId: string, userId: string) {
  return db
    .selectFrom('assets')
    .innerJoin('board_members', (j) => j.onRef('board_members.board_id', '=', 'assets.board_id').on('board_members.user_id', '=', userId))
    .selectAll('assets')
    .select('board_members.role')
    .where('assets.id', '=', assetId)
    .executeTakeFirst();
}

export function boardAssets(db: Kysely<Database>, boardId: string) {
  return db.selectFrom('assets').selectAll().where('board_id', '=', boardId).orderBy('created_at', 'desc').execute();
}
