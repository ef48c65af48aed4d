import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import { oncePerRequest } from '../http/once-per-request.js';
import type { AssetsTable } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from '../http/env.js';
import { newId } from '../lib/ids.js';
import { assetById, boardAssets, insertAssetOnce, toAsset } from './assets.queries.js';
import type { BlobStore } from './blob-store.js';
import { safeDisplayName } from './file-name.js';
import type { AssetLimits } from './limits.js';
import type { Media } from './media.js';
import type { StorageGuard } from './storage-guard.js';
import { receiveUpload } from './upload.js';
import { assetNotFound, assetResponse, posterResponse } from './asset-response.js';

export interface AssetDeps extends AppDeps {
  blobs: BlobStore;
  media: Media;
  assetLimits: AssetLimits;
  storage: StorageGuard;
}

/** Upload and listing, mounted under /api/boards/:boardId/assets. */
export function boardAssetRoutes(deps: AssetDeps) {
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(deps.db);
  // Every route here is behind `boardRole`, so API tokens may reach them.
  app.use('*', requireUser(deps, { tokens: true }));

  app.post('/', boardRole('editor'), async (c) => {
    const boardId = c.get('board').id;
    const userId = c.get('user').id;
    const incoming = (c.env as { incoming: import('node:http').IncomingMessage }).incoming;
    const who = { userId, boardId };
    const up = await receiveUpload(incoming, { blobs: deps.blobs, media: deps.media, limits: deps.assetLimits, room: await deps.storage.room(who) });
    // Uploads running side by side each saw the room before the others landed: look again.
    await deps.storage.assertRoom(who, up.ingested.bytes).catch(async (err) => {
      await up.ingested.discard();
      throw err;
    });
    // A commit that fails (the disk filled while placing the blob) leaves the temp file: drop it.
    const stored = await up.ingested.commit().finally(() => up.ingested.discard());
    const id = newId();
    const row = await insertAssetOnce(deps.db, {
      id,
      board_id: boardId,
      sha256: stored.sha256,
      kind: up.info.kind,
      mime: up.sniffed.mime,
      bytes: stored.bytes,
      width: up.info.width,
      height: up.info.height,
      duration_sec: up.info.kind === 'image' ? null : (up.info.durationSec ?? null),
      fps: up.info.fps ?? null,
      name: safeDisplayName(up.fileName, up.sniffed.ext),
      origin: 'upload',
      poster_sha256: null,
      created_by: userId,
      created_at: deps.clock.now(),
    });
    // The same bytes uploaded again answer with the asset the board already has.
    return c.json(toAsset(row), row.id === id ? 201 : 200);
  });

  app.get('/', boardRole('viewer'), async (c) => c.json((await boardAssets(deps.db, c.get('board').id)).map(toAsset)));

  return app;
}

/** Reading assets, mounted under /api/assets. Non-members get 404, as for an unknown id. */
export function assetRoutes(deps: AssetDeps) {
  const app = new Hono<AppEnv>();
  /** The path names an asset: its board is the asset's, and a stranger's answer is the one for a made-up id. */
  const assetOf = oncePerRequest((req) => assetById(deps.db, req.param('assetId')!));
  const member = boardRoles(deps.db)('viewer', { boardOf: async (req) => (await assetOf(req))?.board_id, notFound: assetNotFound });
  // Every route here is behind `boardRole`, so API tokens may reach them.
  app.use('*', requireUser(deps, { tokens: true }));

  app.get('/:assetId', member, async (c) => assetResponse(c, deps, await present(assetOf(c.req))));
  app.get('/:assetId/poster', member, async (c) => posterResponse(c, deps, await present(assetOf(c.req))));

  return app;
}

/** The asset `member` let through (gone only if the orphan sweep or a board deletion took it meanwhile). */
async function present(read: Promise<AssetsTable | undefined>): Promise<AssetsTable> {
  const asset = await read;
  if (!asset) throw assetNotFound();
  return asset;
}
