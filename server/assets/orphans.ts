import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { listReferences, shotsInOrder, listTakes } from '../../shared/doc/index.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { DocHub } from '../sync/hub.js';
import type { BlobStore } from './blob-store.js';
import { blobsInUse, boardsWithUploadsBefore, deleteAssets, uploadsBefore } from './assets.queries.js';

export interface OrphanDeps {
  db: Kysely<Database>;
  hub: DocHub;
  blobs: BlobStore;
  clock: Clock;
  log: Logger;
}

/** Every asset id a board document points at: frames, reference versions, takes. */
export function referencedAssets(doc: Y.Doc): Set<string> {
  const ids = new Set<string>();
  for (const shot of shotsInOrder(doc)) {
    if (shot.startFrame) ids.add(shot.startFrame);
    if (shot.endFrame) ids.add(shot.endFrame);
    for (const take of listTakes(doc, shot.id)) for (const a of [take.clip, take.poster, take.tail]) if (a) ids.add(a);
  }
  for (const ref of listReferences(doc)) for (const v of ref.versions) for (const a of v.assets) ids.add(a);
  return ids;
}

/**
 * Removes uploads that nothing on their board has pointed at for `graceMs` (a fresh upload is
 * kept while someone is still placing it), then blobs no asset row uses any more. Generated
 * takes and what was derived from them are never removed here. A blob must be unused at two
 * sweeps in a row before it goes, so an upload committing between the two is never lost.
 */
export function createOrphanSweeper(deps: OrphanDeps) {
  let suspects = new Set<string>();
  return async function sweep(graceMs: number): Promise<{ assets: number; blobs: number }> {
    const { db, clock } = deps;
    const cutoff = clock.now() - graceMs;
    let removedAssets = 0;
    for (const boardId of await boardsWithUploadsBefore(db, cutoff)) {
      const used = await deps.hub.read(boardId, referencedAssets);
      const doomed = (await uploadsBefore(db, boardId, cutoff)).filter((id) => !used.has(id));
      if (doomed.length === 0) continue;
      await deleteAssets(db, doomed);
      removedAssets += doomed.length;
    }

    const live = await blobsInUse(db);
    const unused = new Set<string>();
    let removedBlobs = 0;
    for await (const sha of deps.blobs.list()) {
      if (live.has(sha)) continue;
      if (suspects.has(sha)) {
        await deps.blobs.delete(sha);
        removedBlobs++;
      } else unused.add(sha);
    }
    suspects = unused;
    if (removedAssets || removedBlobs) deps.log.info('orphan sweep', { assets: removedAssets, blobs: removedBlobs });
    return { assets: removedAssets, blobs: removedBlobs };
  };
}
