import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia } from '../../server/assets/media.js';
import type { ExportSnapshot } from '../../server/export/board-snapshot.js';
import { chooseRecipe, concatList, copyArgs, encodeArgs } from '../../server/export/sequence-render.js';
import { readClipStream } from '../../server/export/stream-info.js';
import { planTimeline } from '../../server/export/timeline.js';
import type { PlanOptions } from '../../shared/sequence/plan.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import { probeVideo } from './helpers.js';
import { snapshot } from './snapshot-fixture.js';

const media = createMedia();
const bundled = createMedia({ pathEnv: '' });
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-render-test-'));
  const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=24:duration=2', ...x264, path.join(dir, 'a.mp4'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=24:duration=2', ...x264, path.join(dir, 'b.mp4'));
  // Wrong size, wrong rate, with sound.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', ...x264, '-c:a', 'aac', '-shortest', path.join(dir, 'c.mp4'));
}, 60_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function render(files: string[], snap: ExportSnapshot, options: PlanOptions, m = media) {
  const timeline = planTimeline(snap, options);
  const streams = await Promise.all(files.map((f) => readClipStream(m, f)));
  const recipe = chooseRecipe(timeline, streams);
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.mp4`);
  const progress = path.join(dir, 'progress.txt');
  if (recipe.kind === 'copy') {
    const list = path.join(dir, 'list.txt');
    await fs.writeFile(list, concatList(files));
    await m.ffmpeg(copyArgs(list, out, progress));
  } else {
    await m.ffmpeg(encodeArgs(timeline, streams, files, out, progress));
  }
  return { timeline, recipe, video: await probeVideo(out) };
}

describe('sequence recipes with real ffmpeg', () => {
  it('stream-copies clips that already match', async () => {
    const files = ['a.mp4', 'b.mp4'].map((f) => path.join(dir, f));
    const { recipe, video } = await render(files, snapshot([{ width: 640, height: 360, durationSec: 2 }, { width: 640, height: 360, durationSec: 2 }]), { trimOverlap: false, crossfadeSec: 0 });
    expect(recipe.kind).toBe('copy');
    expect(video).toMatchObject({ width: 640, height: 360, fps: 24, frames: 96, hasAudio: false });
  });

  // Crossfades use `blend` (in 4.1 already), not `xfade` (4.3+): the same export on the maintained
  // ffmpeg and on the old bundled build, which the start check lets run as the last resort.
  it.each([['the maintained ffmpeg', media], ['the bundled 4.1', bundled]])('%s: scales, resamples and adds silence only where needed; crossfades a chain cut', async (_, m) => {
    const files = ['a.mp4', 'c.mp4', 'b.mp4'].map((f) => path.join(dir, f));
    const snap = snapshot([{ width: 640, height: 360, durationSec: 2 }, { width: 320, height: 240, durationSec: 2, chained: 'reference_video' }, { width: 640, height: 360, durationSec: 2 }]);
    const { recipe, video, timeline } = await render(files, snap, { trimOverlap: true, crossfadeSec: 0.25 }, m);
    expect(recipe).toEqual({ kind: 'encode', work: [[], ['scale 320x240', 'frame rate 30', 'trim', 'crossfade'], []] });
    // The reference-video chain repeats its 1 s tail: 24 frames trimmed, then a 6-frame crossfade.
    expect(timeline.cuts[1]).toMatchObject({ chain: { trimmedFrames: 24 }, transition: { kind: 'crossfade', frames: 6 } });
    expect(timeline.frames).toBe(48 + 24 + 48 - 6);
    expect(video).toMatchObject({ width: 640, height: 360, fps: 24, frames: 114, hasAudio: true });
    expect(Math.abs(video.durationSec - 114 / 24)).toBeLessThan(0.1);
  }, 60_000);

  it('keeps the plan’s length when a clip is shorter than its take says (its last frame holds)', async () => {
    const files = ['a.mp4', 'c.mp4'].map((f) => path.join(dir, f));
    const snap = snapshot([{ width: 640, height: 360, durationSec: 2.5 }, { width: 320, height: 240, durationSec: 2 }]);
    const { recipe, video, timeline } = await render(files, snap, { trimOverlap: false, crossfadeSec: 0 });
    expect(recipe.kind).toBe('encode');
    expect(timeline.frames).toBe(60 + 48);
    expect(video.frames).toBe(108);
  }, 60_000);
});
