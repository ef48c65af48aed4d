/**
 * `GET …/export/sequence.mp4`: the cached file when this exact sequence was built before;
 * otherwise a build, awaited for short sequences, in the background (202 + status, progress as
 * SSE `export` events) for long ones or when the client says `Prefer: respond-async`. Asking the
 * same URL again answers the file once it is built.
 */
import type { Context } from 'hono';
import { AppError, isStorageFull, storageFull } from '../errors.js';
import type { ExportDeps } from './deps.js';
import type { ExportSnapshot } from './board-snapshot.js';
import { sendBlob } from './blob-response.js';
import { attachmentFor } from './download-name.js';
import { findSequenceAsset } from './export.queries.js';
import { sequenceKey } from './sequence-build.js';
import type { SequenceBuilds } from './sequence-builds.js';
import { framesToSeconds } from './timecode.js';
import { fadeIn, slates, type Timeline } from './timeline.js';

/** Sequences up to this long are built while the request waits. */
export const INLINE_MAX_SECONDS = 30;

export async function sequenceResponse(c: Context, deps: ExportDeps, builds: SequenceBuilds, snap: ExportSnapshot, timeline: Timeline, userId: string) {
  const headers = {
    // Shots shown as slates (no usable take); the header name predates slates.
    'X-Takeboard-Skipped-Shots': slates(timeline).map((s) => s.shotId).join(','),
    'Content-Disposition': attachmentFor(snap.title, 'sequence.mp4'),
  };
  if (timeline.cuts.length === 0) {
    throw new AppError('conflict', 'The board has no shots yet; add shots to assemble a sequence', { headers });
  }
  const key = sequenceKey(timeline);
  Object.assign(headers, { 'X-Takeboard-Sequence-Key': key });
  const cached = await findSequenceAsset(deps.db, snap.boardId, key);
  if (cached) return sendBlob(c, deps.blobs, cached, headers);

  // Refused up front (507) when the user, the board or the disk has no room for another file.
  await deps.storage.assertRoom({ userId, boardId: snap.boardId });
  const url = new URL(c.req.url);
  const build = await builds.start({ boardId: snap.boardId, userId, timeline, key, url: url.pathname + url.search });
  // A failed build is forgotten so the next request retries; a full disk answers 507, not 500.
  const failed = (err: unknown) => {
    builds.forget(snap.boardId, key);
    return isStorageFull(err) ? storageFull('the sequence', { headers }) : new AppError('internal', build.status.error ?? 'The sequence could not be built', { headers });
  };
  if (build.status.status === 'failed') throw failed(await build.done.then(() => null, (err: unknown) => err));
  const long = framesToSeconds(timeline.frames, timeline.rate) > INLINE_MAX_SECONDS;
  if (long || /respond-async/i.test(c.req.header('prefer') ?? '')) {
    return c.json(build.status, 202, { ...headers, Location: build.status.url, 'Retry-After': '2', 'Cache-Control': 'no-store' });
  }
  try {
    return sendBlob(c, deps.blobs, await build.done, headers);
  } catch (err) {
    throw failed(err);
  }
}

/** `sequence.json`: the plan as built (every cut, slates and transitions included), with the settings used. */
export function sequenceSidecar(snap: ExportSnapshot, t: Timeline) {
  const sec = (frames: number) => Math.round(framesToSeconds(frames, t.rate) * 1e6) / 1e6;
  return {
    boardId: snap.boardId,
    title: t.title,
    fps: t.rate.value,
    frameRate: `${t.rate.num}/${t.rate.den}`,
    width: t.width,
    height: t.height,
    frames: t.frames,
    durationSec: sec(t.frames),
    key: t.cuts.length > 0 ? sequenceKey(t) : null,
    options: t.options,
    cuts: t.cuts.map((c) => ({
      index: c.index,
      kind: c.kind,
      shotId: c.shotId,
      title: c.title,
      takeId: c.kind === 'take' ? c.takeId : null,
      clipAssetId: c.kind === 'take' ? c.clip.id : null,
      slate: c.kind === 'slate' ? { label: c.label, reason: c.reason } : null,
      startSec: sec(c.recordIn),
      endSec: sec(c.recordIn + c.frames),
      startFrame: c.recordIn,
      endFrame: c.recordIn + c.frames,
      sourceInSec: sec(c.inFrame),
      sourceOutSec: sec(c.inFrame + c.frames),
      transition: c.transition.kind === 'crossfade' ? { kind: 'crossfade', frames: c.transition.frames, sec: sec(c.transition.frames) } : { kind: 'cut' },
      chain: c.kind === 'take' && c.chain
        ? { fromShotId: c.chain.fromShotId, fromTakeId: c.chain.fromTakeId, attachedAs: c.chain.attachedAs, tailSeconds: c.chain.tailSec, trimmedSec: sec(c.chain.trimmedFrames), crossfadeSec: sec(fadeIn(c)) }
        : null,
    })),
    slates: slates(t).map((s) => ({ shotId: s.shotId, title: s.title, reason: s.reason })),
  };
}
