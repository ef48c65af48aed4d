/** Poster images for the printable shot list. */
import type { ExportDeps } from './deps.js';
import type { ExportSnapshot } from './board-snapshot.js';
import { boardAssetsById } from './export.queries.js';
import type { ThumbSources } from './shot-list-html.js';

/** Past this many bytes of embedded posters the rest are linked, so a 500-shot board stays openable. */
const EMBED_BUDGET_BYTES = 24 * 1024 * 1024;

/**
 * One poster per shot with a selected take. `embed` inlines each take's poster as a `data:` URL,
 * so the downloaded file prints anywhere, offline, without a session cookie (a page opened from
 * disk cannot send one). `link` points at `/api/assets/:clipId/poster` under the public origin.
 */
export async function thumbnailSources(deps: ExportDeps, snap: ExportSnapshot, mode: 'embed' | 'link'): Promise<ThumbSources> {
  const out: ThumbSources = new Map();
  const link = (clip: string) => `${snap.origin}/api/assets/${encodeURIComponent(clip)}/poster`;
  const withTakes = snap.shots.filter((e) => e.take?.clip);
  if (mode === 'link') {
    for (const e of withTakes) out.set(e.shot.id, link(e.take!.clip!));
    return out;
  }
  const posters = await boardAssetsById(deps.db, snap.boardId, withTakes.flatMap((e) => (e.take?.poster ? [e.take.poster] : [])));
  let spent = 0;
  for (const e of withTakes) {
    const poster = e.take?.poster ? posters.get(e.take.poster) : undefined;
    if (poster && poster.kind === 'image' && spent + poster.bytes <= EMBED_BUDGET_BYTES) {
      const bytes = await readAll(deps, poster.sha256);
      if (bytes) {
        spent += bytes.length;
        out.set(e.shot.id, `data:${poster.mime};base64,${bytes.toString('base64')}`);
        continue;
      }
    }
    out.set(e.shot.id, link(e.take!.clip!));
  }
  return out;
}

async function readAll(deps: ExportDeps, sha256: string): Promise<Buffer | null> {
  const stream = await deps.blobs.createReadStream(sha256);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
