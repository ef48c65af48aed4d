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

/**
 * Inserts several assets in one transaction (each kept once per board's bytes); returns the ids
 * that stand, in order. All or none: a failure part way leaves no row pointing at a missing file.
 */
export async function insertAssetsOnce(db: Kysely<Database>, rows: readonly AssetsTable[]): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const ids: string[] = [];
    for (const row of rows) ids.push((await insertAssetOnce(tx, row)).id);
    return ids;
  });
}

export function assetById(db: Kysely<Database>, assetId: string): Promise<AssetsTable | undefined> {
  return db.selectFrom('assets').selectAll().where('id', '=', assetId).executeTakeFirst();
}

/** Remembers the poster rendered for these bytes, on every asset row that holds them. */
export async function setPoster(db: Kysely<Database>, sha256: string, posterSha256: string): Promise<void> {
  await db.updateTable('assets').set({ poster_sha256: posterSha256 }).where('sha256', '=', sha256).execute();
}

export function boardAssets(db: Kysely<Database>, boardId: string) {
  return db.selectFrom('assets').selectAll().where('board_id', '=', boardId).orderBy('created_at', 'desc').execute();
}

/** The ids of a board's assets (the sync validator's list of what a shot may point at). */
export async function assetIdsOf(db: Kysely<Database>, boardId: string): Promise<string[]> {
  return (await db.selectFrom('assets').select('id').where('board_id', '=', boardId).execute()).map((r) => r.id);
}

/** Boards holding uploads made at or before `cutoff` (the orphan sweep's candidates). */
export async function boardsWithUploadsBefore(db: Kysely<Database>, cutoff: number): Promise<string[]> {
  const rows = await db.selectFrom('assets').select('board_id').distinct().where('origin', '=', 'upload').where('created_at', '<=', cutoff).execute();
  return rows.map((r) => r.board_id);
}

/** A board's uploads made at or before `cutoff`. */
export async function uploadsBefore(db: Kysely<Database>, boardId: string, cutoff: number): Promise<string[]> {
  const rows = await db.selectFrom('assets').select('id').where('board_id', '=', boardId).where('origin', '=', 'upload').where('created_at', '<=', cutoff).execute();
  return rows.map((r) => r.id);
}

export async function deleteAssets(db: Kysely<Database>, assetIds: readonly string[]): Promise<void> {
  await db.deleteFrom('assets').where('id', 'in', [...assetIds]).execute();
}

/** Every blob some asset row uses: its bytes or its poster. */
export async function blobsInUse(db: Kysely<Database>): Promise<Set<string>> {
  const live = new Set<string>();
  for (const r of await db.selectFrom('assets').select(['sha256', 'poster_sha256']).execute()) {
    live.add(r.sha256);
    if (r.poster_sha256) live.add(r.poster_sha256);
  }
  return live;
}
