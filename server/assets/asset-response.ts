/**
 * Answers for an asset's bytes and its poster, once the caller has been let through to it: the
 * members' routes (assets.routes.ts, behind `boardRole`) and a guest's review link
 * (review-links/guest.routes.ts, only the clips and posters of takes the guest may watch) serve
 * media the same way, with the same headers.
 */
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs/promises';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { AssetsTable, Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { streamBody } from '../http/stream-body.js';
import { setPoster } from './assets.queries.js';
import type { BlobStore } from './blob-store.js';
import { contentDisposition } from './file-name.js';
import type { Media } from './media.js';
import { servedType } from './served-type.js';

export interface ServeDeps {
  db: Kysely<Database>;
  blobs: BlobStore;
  media: Media;
}

/** The answer to a made-up asset id, and to one the caller may not see: the same bytes. */
export const assetNotFound = () => new AppError('not_found', 'Asset not found');

/**
 * Uploaded bytes are served only as the type they were sniffed as, from a list of media types
 * (served-type.ts); no browser second-guessing (nosniff, on every response: http/security-headers.ts);
 * and should anyone open one as a page, a sandbox with nothing allowed, so whatever rides inside a
 * valid picture (an HTML trailer, a polyglot) can never run as our origin.
 */
const SERVE_SAFELY = {
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
} as const;

/** The asset's bytes: `Range` honoured (206, 416), `ETag`, served as nothing but media. */
export async function assetResponse(c: Context, deps: ServeDeps, asset: AssetsTable): Promise<Response> {
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
  if (!stream) throw assetNotFound();
  const body = streamBody(c, stream);
  if (range) {
    return c.body(body, 206, { ...common, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) });
  }
  return c.body(body, 200, { ...common, 'Content-Length': String(size) });
}

/** A JPEG still of an image or video (made once); 404 for audio. */
export async function posterResponse(c: Context, deps: ServeDeps, asset: AssetsTable): Promise<Response> {
  if (asset.kind === 'audio') throw new AppError('not_found', 'An audio file has no poster; play the file itself');
  const sha = asset.poster_sha256 ?? (await makePoster(deps, asset));
  const etag = `"${sha}"`;
  const headers = { 'Content-Type': 'image/jpeg', ETag: etag, 'Cache-Control': 'private, max-age=31536000, immutable', ...SERVE_SAFELY };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  const stream = await deps.blobs.createReadStream(sha);
  if (!stream) throw new AppError('not_found', 'Poster not found');
  return c.body(streamBody(c, stream), 200, headers);
}

/** Renders the poster once and remembers it on the asset row; later requests reuse it. */
async function makePoster(deps: ServeDeps, asset: AssetsTable): Promise<string> {
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
