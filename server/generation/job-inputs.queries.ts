import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The board files a job is made from, as generation asks for them: which ids are images or
 * videos (resolving a shot checks its frames and references), and where each file's bytes are
 * (sending them to a provider, copying them out for the local renderer). Always within one board.
 */

/** Every asset of the board by id, with its kind and, for clips, its seconds (a clip sent as input is priced by its length). */
export async function boardAssetKinds(db: Kysely<Database>, boardId: string): Promise<Map<string, { kind: 'image' | 'video' | 'audio'; durationSec: number | null }>> {
  const rows = await db.selectFrom('assets').select(['id', 'kind', 'duration_sec']).where('board_id', '=', boardId).execute();
  return new Map(rows.map((r) => [r.id, { kind: r.kind, durationSec: r.duration_sec }]));
}

/** Where one asset of the board is stored and what it is; throws when the board has no such asset. */
export function assetBlob(db: Kysely<Database>, boardId: string, assetId: string) {
  return db.selectFrom('assets').select(['sha256', 'mime']).where('id', '=', assetId).where('board_id', '=', boardId).executeTakeFirstOrThrow();
}

/** Where each of these assets of the board is stored (ids of other boards are left out). */
export function assetBlobs(db: Kysely<Database>, boardId: string, assetIds: readonly string[]) {
  return db.selectFrom('assets').select(['id', 'sha256', 'mime']).where('board_id', '=', boardId).where('id', 'in', assetIds).execute();
}
