import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs/promises';
import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import { oncePerRequest } from '../http/once-per-request.js';
import type { AssetsTable } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { streamBody } from '../http/stream-body.js';
import { newId } from '../lib/ids.js';
import { assetById, boardAssets, insertAssetOnce, setPoster, toAsset } from './assets.queries.js';
import type { BlobStore } from './blob-store.js';
import { contentDisposition, safeDisplayName } from './file-name.js';
import type { AssetLimits } from './limits.js';
import type { Media } from './media.js';
import { servedType } from './served-type.js';
import type { StorageGuard } from './storage-guard.js';
import { receiveUpload } from './upload.js';

export interface AssetDeps extends AppDeps {
  blobs: BlobStore;
  media: Media;
  assetLimits: AssetLimits;
  storage: StorageGuard;
}

/**
 * Uploaded bytes are served only as the type they were sniffed as, from a list of media types
 * (served-type.ts); no browser second-guessing (nosniff, on every response: http/security-headers.ts);
 * and should anyone open one as a page, a sandbox with nothing allowed, so whatever rides inside a
 * valid picture (an HTML trailer, a polyglot) can never run as our origin.
 */
const SERVE_SAFELY = {
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
} as const;

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

  app.get('/:assetId', member, async (c) => {
    const asset = await present(assetOf(c.req));
    const etag = `"${asset.sha256}"`;
    const served = servedType(asset.mime);
    const common = {
      'Content-Type': served.type,
      ETag: etag,
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Accept-Ranges': 'bytes',
      'Content-Disposition': contentDisposition(asset.name, served.inline ? 'inline' : 'attachment'),
      ...SERVE_SAFELY,
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, common);
    const size = asset.bytes;
    const rangeHeader = c.req.header('range');
    const range = rangeHeader ? parseRange(rangeHeader, size) : null;
    if (range === 'unsatisfiable') {
      return c.body(null, 416, { ...common, 'Content-Range': `bytes */${size}` });
    }
    const stream = await deps.blobs.createReadStream(asset.sha256, range ?? undefined);
    if (!stream) throw new AppError('not_found', 'Asset not found');
    const body = streamBody(c, stream);
    if (range) {
      return c.body(body, 206, { ...common, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) });
    }
    return c.body(body, 200, { ...common, 'Content-Length': String(size) });
  });

  app.get('/:assetId/poster', member, async (c) => {
    const asset = await present(assetOf(c.req));
    if (asset.kind === 'audio') throw new AppError('not_found', 'An audio file has no poster; play the file itself');
    const sha = asset.poster_sha256 ?? (await makePoster(deps, asset));
    const etag = `"${sha}"`;
    const headers = { 'Content-Type': 'image/jpeg', ETag: etag, 'Cache-Control': 'private, max-age=31536000, immutable', ...SERVE_SAFELY };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    const stream = await deps.blobs.createReadStream(sha);
    if (!stream) throw new AppError('not_found', 'Poster not found');
    return c.body(streamBody(c, stream), 200, headers);
  });

  return app;
}

const assetNotFound = () => new AppError('not_found', 'Asset not found');

/** The asset `member` let through (gone only if the orphan sweep or a board deletion took it meanwhile). */
async function present(read: Promise<AssetsTable | undefined>): Promise<AssetsTable> {
  const asset = await read;
  if (!asset) throw assetNotFound();
  return asset;
}

/** Renders the poster once and remembers it on the asset row; later requests reuse it. */
export async function makePoster(deps: AssetDeps, asset: AssetsTable): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-poster-'));
  try {
    const out = path.join(dir, 'poster.jpg');
    await deps.blobs.withLocalFile(asset.sha256, (file) => deps.media.poster(file, out, { maxWidth: 640 }));
    const { sha256 } = await deps.blobs.put({ path: out });
    await setPoster(deps.db, asset.sha256, sha256);
    return sha256;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** One `bytes=a-b` range (the only form players send); null for none or a multi-range we serve whole. */
function parseRange(header: string, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
