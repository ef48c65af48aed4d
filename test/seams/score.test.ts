/**
 * Seam scoring on clips ffmpeg generates: a pair where the downstream clip starts where the
 * upstream one ended holds (above the threshold), a hard cut to another picture and colour does
 * not, a reversed pan is named, and a clip that is not a video is a clear error, never a crash.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia } from '../../server/assets/media.js';
import { measureSeam } from '../../server/seams/score.js';
import { SEAM_THRESHOLD, isBadSeam, seamReasons, seamScore } from '../../shared/seams.js';
import { ffmpeg } from '../assets/media-fixtures.js';

const media = createMedia();
let dir: string;
const clip = (name: string) => path.join(dir, name);

/** A 2 s camera move across a still 640x360 test pattern, `x` an ffmpeg expression of t. */
const pan = (out: string, x: string) =>
  ffmpeg('-loop', '1', '-framerate', '25', '-t', '2', '-i', clip('still.png'), '-vf', `crop=320:180:'${x}':90`, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip(out));

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-seams-'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=640x360', '-frames:v', '1', '-y', clip('still.png'));
  // The camera pans right at 40 px/s: the upstream clip ends at x=80, the downstream one starts there.
  await pan('up.mp4', 't*40');
  await pan('down-continues.mp4', '80+t*40');
  // ... or pans back from where it stopped: the picture holds, the motion reverses.
  await pan('down-reverses.mp4', '80-t*40');
  // A hard cut: another picture, another colour.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=0xc02020:s=320x180:r=25:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip('down-red.mp4'));
  await fs.writeFile(clip('not-video.mp4'), 'this is not a video');
  // One frame long: shorter than the window read either side of the cut.
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=25', '-frames:v', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip('one-frame.mp4'));
}, 60_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function score(down: string) {
  const work = await fs.mkdtemp(path.join(dir, 'work-'));
  const m = await measureSeam(media, clip('up.mp4'), clip(down), work);
  return { ...m, score: seamScore(m), reasons: seamReasons(m) };
}

describe('seam scores', () => {
  it('a downstream clip that starts where the upstream ended scores above the threshold', async () => {
    const s = await score('down-continues.mp4');
    expect(s.ssim).toBeGreaterThan(0.8);
    expect(s.colourDistance).toBeLessThan(0.1);
    expect(s.motion).toBeGreaterThan(0.9);
    expect(s.score).toBeGreaterThan(SEAM_THRESHOLD);
    expect(isBadSeam(s.score)).toBe(false);
    expect(s.reasons).toEqual([]);
  }, 60_000);

  it('a hard cut to another picture and colour scores below it, and says why', async () => {
    const s = await score('down-red.mp4');
    expect(s.score).toBeLessThan(SEAM_THRESHOLD);
    expect(isBadSeam(s.score)).toBe(true);
    expect(s.reasons).toEqual(expect.arrayContaining(['picture jump', 'colour jump']));
  }, 60_000);

  it('a pan that reverses at the cut is named, though the picture holds', async () => {
    const s = await score('down-reverses.mp4');
    expect(s.ssim).toBeGreaterThan(0.8);
    expect(s.motion).toBeLessThan(0.2);
    expect(s.reasons).toEqual(['motion changes direction']);
  }, 60_000);

  it('a clip of one frame is still scored (no motion to read on its side)', async () => {
    const work = await fs.mkdtemp(path.join(dir, 'work-'));
    const m = await measureSeam(media, clip('one-frame.mp4'), clip('one-frame.mp4'), work);
    expect(m.ssim).toBeGreaterThan(0.99);
    expect(m.colourDistance).toBe(0);
    expect(m.motion).toBe(1);
  }, 60_000);

  it('a clip that is not a video is an error naming the side, not a crash', async () => {
    await expect(score('not-video.mp4')).rejects.toThrow(/^the downstream clip could not be read: /);
  }, 60_000);
});
