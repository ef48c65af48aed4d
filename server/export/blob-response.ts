/** Sends a stored blob as a download: ETag, single byte ranges (players seek), 304 on a match. */
import type { Context } from 'hono';
import type { BlobStore } from '../assets/blob-store.js';
import { servedType } from '../assets/served-type.js';
import { AppError } from '../errors.js';
import { streamBody } from '../http/stream-body.js';

export async function sendBlob(
  c: Context,
  blobs: BlobStore,
  blob: { sha256: string; bytes: number; mime: string },
  headers: Record<string, string>,
): Promise<Response> {
  const etag = `"${blob.sha256}"`;
  const common = { ...headers, 'Content-Type': servedType(blob.mime).type, ETag: etag, 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, no-cache' };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, common);
  const range = parseRange(c.req.header('range'), blob.bytes);
  if (range === 'unsatisfiable') return c.body(null, 416, { ...common, 'Content-Range': `bytes */${blob.bytes}` });
  const stream = await blobs.createReadStream(blob.sha256, range ?? undefined);
  if (!stream) throw new AppError('not_found', 'The file is gone; ask again to rebuild it');
  const body = streamBody(c, stream);
  if (range) {
    return c.body(body, 206, { ...common, 'Content-Range': `bytes ${range.start}-${range.end}/${blob.bytes}`, 'Content-Length': String(range.end - range.start + 1) });
  }
  return c.body(body, 200, { ...common, 'Content-Length': String(blob.bytes) });
}

/** One `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null for none or anything else (served whole). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const [, a, b] = m;
  const start = a === '' ? Math.max(0, size - Number(b)) : Number(a);
  const end = a === '' || b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if ((a === '' && Number(b) === 0) || start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
