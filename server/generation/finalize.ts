import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_TAIL_SECONDS, type BilledUsage, type ResolvedInputs } from '../../shared/generation/index.js';
import { insertAssetsOnce } from '../assets/assets.queries.js';
import { MediaError } from '../assets/media.js';
import type { PutResult } from '../assets/blob-store.js';
import type { AssetsTable, JobsTable } from '../db/schema.js';
import { formatBytes } from '../lib/bytes.js';
import { newId } from '../lib/ids.js';
import { actualCharge } from './charge.js';
import type { GenerationDeps } from './deps.js';
import { chargeAndSucceed, recordResult, type StoredResult } from './jobs.queries.js';
import { assetBlobs } from './job-inputs.queries.js';
import { ProviderError } from './providers/provider-error.js';
import { readHead, sniffHead } from '../assets/sniff.js';

/** Largest clip we accept from a provider. */
export const MAX_CLIP_BYTES = 1024 * 1024 * 1024;

/**
 * Turns a finished clip (a local file) into a take: the clip, its poster, its tail clip and last
 * frame become assets of the board; the ledger row and the job's success commit together; then
 * the take mirror writes the take from the job's row. `usage` is what a hosted provider reported it
 * billed (null for the local animatic). Safe to run twice for one job (after a
 * crash): assets dedupe by content, the ledger's key is the job id and the take is upserted by
 * id, so a job is billed once and has one take (a crash after the commit leaves the take to the
 * mirror's sweep).
 */
export async function finalizeJob(deps: GenerationDeps, job: JobsTable, clipPath: string, workDir: string, usage: BilledUsage | null): Promise<StoredResult> {
  const { db, media, blobs, clock } = deps;
  const info = await media.probe(clipPath);
  // A provider's answer that is only sound (probe reads it as audio) is no take.
  if (info.kind !== 'video') throw new MediaError('probe_failed', 'no picture stream found');
  await media.verify(clipPath, info);
  const resolved = JSON.parse(job.resolved) as ResolvedInputs;
  const tailSeconds = Math.min(resolved.chain?.tailSeconds ?? DEFAULT_TAIL_SECONDS, info.durationSec ?? DEFAULT_TAIL_SECONDS);

  const posterPath = path.join(workDir, 'poster.jpg');
  const tailPath = path.join(workDir, 'tail.mp4');
  const framePath = path.join(workDir, 'last.png');
  const tailStartPath = path.join(workDir, 'tail-start.jpg');
  await media.poster(clipPath, posterPath, { maxWidth: 640 });
  const tailInfo = await media.tailClip(clipPath, tailPath, tailSeconds);
  const frameInfo = await media.lastFrame(clipPath, framePath);
  const tailStartInfo = await media.poster(tailPath, tailStartPath, { maxWidth: 640, atSec: 0 });
  // Quotas and the disk reserve may have filled while the job ran: the take fails with the reason
  // (507's message) before a byte of it is stored.
  const sizes = await Promise.all([clipPath, posterPath, tailPath, framePath, tailStartPath].map((f) => fs.stat(f).then((s) => s.size)));
  await deps.storage.assertRoom({ userId: job.created_by, boardId: job.board_id }, sizes.reduce((a, b) => a + b, 0));

  // Every file is stored before any asset row is written, the rows in one transaction: a disk
  // that fills halfway leaves no row (and so no take) pointing at a blob that is not there; the
  // blobs stored before it are unused and go with the orphan sweep.
  type Row = Omit<AssetsTable, 'id' | 'sha256' | 'bytes' | 'board_id' | 'created_at' | 'poster_sha256' | 'created_by'>;
  const base = `take-${job.take_id}`;
  const files: [string, Row][] = [
    [clipPath, { kind: 'video', mime: 'video/mp4', width: info.width, height: info.height, duration_sec: info.durationSec ?? null, fps: info.fps ?? null, name: `${base}.mp4`, origin: 'take' }],
    [posterPath, { kind: 'image', mime: 'image/jpeg', width: info.width, height: info.height, duration_sec: null, fps: null, name: `${base}-poster.jpg`, origin: 'derived' }],
    [tailPath, { kind: 'video', mime: 'video/mp4', width: tailInfo.width, height: tailInfo.height, duration_sec: tailInfo.durationSec ?? null, fps: tailInfo.fps ?? null, name: `${base}-tail.mp4`, origin: 'derived' }],
    [framePath, { kind: 'image', mime: 'image/png', width: frameInfo.width, height: frameInfo.height, duration_sec: null, fps: null, name: `${base}-last-frame.png`, origin: 'derived' }],
    [tailStartPath, { kind: 'image', mime: 'image/jpeg', width: tailStartInfo.width, height: tailStartInfo.height, duration_sec: null, fps: null, name: `${base}-tail-start.jpg`, origin: 'derived' }],
  ];
  const puts: PutResult[] = [];
  for (const [file] of files) puts.push(await blobs.put({ path: file }, { maxBytes: MAX_CLIP_BYTES }));
  const [clip, poster, tail, frame, tailStart] = (await insertAssetsOnce(
    db,
    files.map(([, row], i) => ({ ...row, id: newId(), sha256: puts[i]!.sha256, bytes: puts[i]!.bytes, board_id: job.board_id, created_at: clock.now(), poster_sha256: null, created_by: job.created_by })),
  )) as [string, string, string, string, string];
  const result: StoredResult = { clipAssetId: clip, posterAssetId: poster, tailAssetId: tail, tailFrameAssetId: frame, tailStartAssetId: tailStart, durationSec: info.durationSec ?? 0 };

  // The row first (the truth), then the take from it: a chained shot resolving this take's tail
  // finds the result as soon as anyone can select the take.
  await recordResult(db, job.id, result, clock.now());
  // The charge follows the provider's formula on what it reported and delivered (the local animatic: nothing).
  const cost = usage === null ? 0 : actualCharge(deps.catalog, job, usage);
  await chargeAndSucceed(db, job, cost, clock.now());
  await deps.takes.mirror(job.id);
  return result;
}

/** Copies assets out of the blob store into `dir` so ffmpeg can read them; returns their paths. */
export async function localCopies(deps: Pick<GenerationDeps, 'db' | 'blobs'>, boardId: string, assetIds: string[], dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (assetIds.length === 0) return out;
  const rows = await assetBlobs(deps.db, boardId, assetIds);
  for (const r of rows) {
    const file = path.join(dir, `${r.id}.${r.mime.split('/')[1] ?? 'bin'}`);
    const stream = await deps.blobs.createReadStream(r.sha256);
    if (!stream) continue;
    await pipeline(stream, createWriteStream(file));
    out.set(r.id, file);
  }
  return out;
}

export interface DownloadOptions {
  /** Whose clip it is, for the error messages. */
  provider: string;
  /** Refuse a clip larger than this (declared or counted). */
  maxBytes?: number;
  /** Give up when no byte arrives for this long (headers included). */
  stallMs?: number;
  signal?: AbortSignal;
}

/** How long a download may go without a single byte before it is abandoned. */
export const DOWNLOAD_STALL_MS = 60_000;

/**
 * Streams a provider's finished clip to `file`. A clip past `maxBytes` (declared or counted) is a
 * permanent failure; one that stalls, or breaks off, a transient one (the queue polls again and
 * downloads again, without a new submission). The partial file is removed either way.
 */
export async function downloadTo(fetchClip: (signal: AbortSignal) => Promise<Response>, file: string, opts: DownloadOptions): Promise<void> {
  const maxBytes = opts.maxBytes ?? MAX_CLIP_BYTES;
  const stallMs = opts.stallMs ?? DOWNLOAD_STALL_MS;
  const tooLarge = () => new ProviderError({ kind: 'permanent', provider: opts.provider, code: 'clip_too_large', providerMessage: `the finished clip is larger than ${formatBytes(maxBytes)}, the most we take` });
  const stalled = () => new ProviderError({ kind: 'transient', provider: opts.provider, code: 'download_stalled', providerMessage: `downloading the finished clip stalled (no data for ${Math.round(stallMs / 1000) || stallMs / 1000} s)` });
  const local = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, local.signal]) : local.signal;
  let why: ProviderError | null = null;
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      why ??= stalled();
      local.abort(why);
    }, stallMs);
  };
  const stop = (err: ProviderError) => {
    why ??= err;
    local.abort(err);
  };
  arm();
  try {
    const res = await fetchClip(signal);
    if (!res.ok || !res.body) throw new ProviderError({ kind: 'transient', provider: opts.provider, status: res.status, providerMessage: `downloading the finished clip failed (HTTP ${res.status})` });
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body.cancel().catch(() => {});
      throw tooLarge();
    }
    let seen = 0;
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream, { signal });
    body.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) stop(tooLarge());
      else arm();
    });
    await pipeline(body, createWriteStream(file), { signal });
    await refuseNonVideo(file, opts.provider);
  } catch (err) {
    await fs.rm(file, { force: true });
    if (why) throw why;
    if (err instanceof ProviderError) throw err;
    if (opts.signal?.aborted) throw err;
    throw new ProviderError({ kind: 'transient', provider: opts.provider, code: 'download_failed', providerMessage: `downloading the finished clip broke off (${err instanceof Error ? err.message : String(err)})`, cause: err });
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * A provider's "clip" must start like a video (mp4, mov, webm, mkv) before ffprobe or a take sees
 * it: an error page, an image or a script served as the output is refused, permanently, in words.
 */
async function refuseNonVideo(file: string, provider: string): Promise<void> {
  const head = await readHead(file);
  const found = sniffHead(head);
  if (found?.kind === 'video') return;
  const what = found ? `an image, ${found.mime}` : describeHead(head);
  throw new ProviderError({ kind: 'permanent', provider, code: 'clip_not_video', providerMessage: `the finished clip was refused: it is not a video (the download is ${what})` });
}

/** What a non-media download looks like, for the message. */
function describeHead(head: Uint8Array): string {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 256)).toString('latin1').trimStart().toLowerCase();
  if (head.byteLength === 0) return 'empty';
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || /^<(head|body|title|div|p)\b/.test(text)) return 'an HTML page';
  if (text.startsWith('<')) return 'an XML document';
  if (text.startsWith('{') || text.startsWith('[')) return 'a JSON document';
  return 'in no video format we accept';
}
