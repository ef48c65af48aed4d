/**
 * Builds the sequence MP4 for a timeline and stores it: local copies of the clips, the recipe
 * (copy or encode, see sequence-render.ts), ffmpeg with its progress file polled, then the result
 * as a blob and a `derived` asset row named after the content key, which is the cache.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BlobStore } from '../assets/blob-store.js';
import { insertAssetOnce } from '../assets/assets.queries.js';
import type { AssetsTable } from '../db/schema.js';
import type { ExportDeps } from './deps.js';
import { newId } from '../lib/ids.js';
import { sequenceAssetName } from './export.queries.js';
import { chooseRecipe, concatList, copyArgs, encodeArgs, type Recipe } from './sequence-render.js';
import { readClipStream } from './stream-info.js';
import { framesToSeconds } from './timecode.js';
import { renderSlate } from './slate.js';
import { fadeIn, type Timeline } from './timeline.js';

/** Bump when the recipe changes, so sequences built by an older one are not reused. */
const RECIPE_VERSION = 2;

/**
 * The content key of a sequence: everything the picture depends on. Per cut, the clip's bytes
 * (sha256) with the frames used and the crossfade into it, or a slate's text and length; the
 * size and rate. A new selected take, a re-ordered or renamed shot, other trim/crossfade
 * settings or a slate's new duration give a new key.
 */
export function sequenceKey(t: Timeline): string {
  const content = {
    v: RECIPE_VERSION,
    rate: [t.rate.num, t.rate.den],
    size: [t.width, t.height],
    clips: t.cuts.map((c) => (c.kind === 'take' ? [c.clip.sha256, c.inFrame, c.frames, fadeIn(c)] : ['slate', c.label, c.reason, c.frames])),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

export interface BuildResult {
  asset: AssetsTable;
  recipe: Recipe;
}

/** Builds and stores the sequence; `onProgress` gets 0..1 as ffmpeg advances. */
export async function buildSequence(
  deps: ExportDeps,
  input: { boardId: string; userId: string; timeline: Timeline; key: string },
  onProgress: (fraction: number) => void,
): Promise<BuildResult> {
  const { timeline } = input;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-sequence-'));
  try {
    const out = path.join(dir, 'sequence.mp4');
    const progressFile = path.join(dir, 'progress.txt');
    const slateFiles = await renderSlates(deps, timeline, dir);
    const shas = timeline.cuts.flatMap((c) => (c.kind === 'take' ? [c.clip.sha256] : []));
    const recipe = await withLocalFiles(deps.blobs, shas, async (clipFiles) => {
      // One file per cut, in order: the take's clip, or the slate rendered above.
      let next = 0;
      const files = timeline.cuts.map((c) => (c.kind === 'take' ? clipFiles[next++]! : slateFiles.get(c.index)!));
      const streams = await Promise.all(files.map((f) => readClipStream(deps.media, f)));
      const recipe = chooseRecipe(timeline, streams);
      let args: string[];
      if (recipe.kind === 'copy') {
        const list = path.join(dir, 'list.txt');
        await fs.writeFile(list, concatList(files));
        args = copyArgs(list, out, progressFile);
      } else {
        args = encodeArgs(timeline, streams, files, out, progressFile);
      }
      const totalSec = framesToSeconds(timeline.frames, timeline.rate);
      await watchProgress(progressFile, totalSec, onProgress, () =>
        deps.media.ffmpeg(args, { timeoutMs: 120_000 + totalSec * 10_000 }),
      );
      return recipe;
    });
    const info = await deps.media.probe(out);
    await deps.storage.assertRoom({ userId: input.userId, boardId: input.boardId }, (await fs.stat(out)).size);
    const put = await deps.blobs.put({ path: out });
    const asset = await insertAssetOnce(deps.db, {
      id: newId(),
      board_id: input.boardId,
      sha256: put.sha256,
      kind: 'video',
      mime: 'video/mp4',
      bytes: put.bytes,
      width: info.width,
      height: info.height,
      duration_sec: info.durationSec ?? null,
      fps: info.fps ?? null,
      name: sequenceAssetName(input.key),
      origin: 'derived',
      poster_sha256: null,
      created_by: input.userId,
      created_at: deps.clock.now(),
    });
    onProgress(1);
    return { asset, recipe };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Renders every slate of the timeline into `dir` at the sequence's size and rate; file per cut index. */
async function renderSlates(deps: ExportDeps, timeline: Timeline, dir: string): Promise<Map<number, string>> {
  const files = new Map<number, string>();
  const cards = timeline.cuts.filter((c) => c.kind === 'slate');
  if (cards.length === 0) return files;
  for (const c of cards) {
    const work = await fs.mkdtemp(path.join(dir, 'slate-'));
    const file = path.join(work, 'slate.mp4');
    await renderSlate(deps.media, { width: timeline.width, height: timeline.height, rate: timeline.rate, frames: c.frames, label: c.label, reason: c.reason }, work, file);
    files.set(c.index, file);
  }
  return files;
}

/** Runs `fn` with a local path for every blob (the fs store lends its own files: no copies). */
function withLocalFiles<T>(blobs: BlobStore, shas: readonly string[], fn: (files: string[]) => Promise<T>): Promise<T> {
  const unique = [...new Set(shas)];
  const paths = new Map<string, string>();
  const step = (i: number): Promise<T> =>
    i === unique.length
      ? fn(shas.map((s) => paths.get(s)!))
      : blobs.withLocalFile(unique[i]!, (p) => {
          paths.set(unique[i]!, p);
          return step(i + 1);
        });
  return step(0);
}

/** Polls ffmpeg's `-progress` file while `run` works, reporting the encoded fraction of `totalSec`. */
async function watchProgress<T>(file: string, totalSec: number, onProgress: (f: number) => void, run: () => Promise<T>): Promise<T> {
  let last = -1;
  const poll = async () => {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    const all = [...text.matchAll(/out_time_ms=(\d+)/g)];
    const us = Number(all[all.length - 1]?.[1] ?? 0);
    const fraction = totalSec > 0 ? Math.min(0.99, us / 1e6 / totalSec) : 0;
    if (fraction > last) {
      last = fraction;
      onProgress(fraction);
    }
  };
  const timer = setInterval(() => void poll(), 250);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}
