import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, checkDimensions, createMedia, type Media } from '../../server/assets/media.js';
import { sniffFile } from '../../server/assets/sniff.js';
import { ffmpeg, makeMediaFixtures, type MediaFixtures } from './media-fixtures.js';

let fx: MediaFixtures;
let media: Media;
const out = (name: string) => path.join(fx.dir, name);

beforeAll(async () => {
  fx = await makeMediaFixtures();
  media = createMedia();
});
afterAll(async () => {
  await fx?.cleanup();
});

async function failure(p: Promise<unknown>): Promise<MediaError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe('probe', () => {
  it('reads stills: format, codec and size, no duration', async () => {
    expect(await media.probe(fx.png)).toEqual({ kind: 'image', format: 'png_pipe', codec: 'png', width: 400, height: 300 });
    expect(await media.probe(fx.jpeg)).toMatchObject({ kind: 'image', codec: 'mjpeg', width: 1920, height: 1080 });
    expect(await media.probe(fx.webp)).toMatchObject({ kind: 'image', codec: 'webp', width: 200, height: 100 });
  });

  it('reads videos: size, duration, frame rate and audio', async () => {
    const clip = await media.probe(fx.clip);
    expect(clip).toMatchObject({ kind: 'video', codec: 'h264', width: 320, height: 240, fps: 24, hasAudio: true });
    expect(clip.format).toContain('mp4');
    expect(clip.durationSec).toBeCloseTo(10, 1);
    const webm = await media.probe(fx.webm);
    expect(webm).toMatchObject({ kind: 'video', format: 'matroska,webm', codec: 'vp8', width: 256, height: 144, hasAudio: false });
    expect(webm.durationSec).toBeCloseTo(3, 1);
    expect(await media.probe(fx.mov)).toMatchObject({ kind: 'video', codec: 'h264', width: 160, height: 120 });
  });

  it('refuses a text file named .mp4, by sniff and by probe, without leaking the path', async () => {
    expect(await sniffFile(fx.textAsMp4)).toBeNull();
    const err = await failure(media.probe(fx.textAsMp4));
    expect(err.code).toBe('probe_failed');
    expect(err.message).toMatch(/invalid data/i);
    expect(err.message).not.toContain(fx.dir);
    expect(err.details.stderrTail).toBeTruthy();
  });

  it('refuses a truncated mp4 whose headers are gone', async () => {
    expect(await sniffFile(fx.truncatedMp4)).toMatchObject({ kind: 'video', ext: 'mp4' });
    expect((await failure(media.probe(fx.truncatedMp4))).code).toBe('probe_failed');
  });

  it('refuses an animated WebP, which neither bundled binary can decode', async () => {
    const anim = out('anim.webp');
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-t', '1', '-c:v', 'libwebp_anim', '-loop', '0', anim);
    expect(await sniffFile(anim)).toMatchObject({ mime: 'image/webp' });
    expect((await failure(media.probe(anim))).code).toBe('probe_failed');
  });

  it('verify catches data cut short behind intact headers, and passes whole files', async () => {
    const info = await media.probe(fx.truncatedFaststart); // headers alone look fine
    expect(info.durationSec).toBeCloseTo(10, 1);
    expect((await failure(media.verify(fx.truncatedFaststart, info))).code).toBe('corrupt');
    for (const file of [fx.clip, fx.webm, fx.mov, fx.png, fx.jpeg, fx.webp]) await media.verify(file);
  });

  it('checks dimensions against decompression bombs', async () => {
    expect(checkDimensions(await media.probe(fx.jpeg))).toEqual({ ok: true });
    expect(checkDimensions({ width: 16_384, height: 4_800 })).toEqual({ ok: true });
    expect(checkDimensions({ width: 16_385, height: 10 })).toMatchObject({ ok: false });
    expect(checkDimensions({ width: 10_000, height: 9_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/megapixels/) });
    expect(checkDimensions({ width: 0, height: 10 })).toMatchObject({ ok: false });
    expect(checkDimensions({ width: 500, height: 500 }, { maxSide: 400, maxPixels: 1e9 })).toMatchObject({ ok: false });
  });
});

describe('poster', () => {
  it('scales a large image down to a JPEG within maxWidth, keeping the aspect', async () => {
    const info = await media.poster(fx.jpeg, out('poster-still.jpg'), { maxWidth: 640 });
    expect(info).toMatchObject({ kind: 'image', codec: 'mjpeg', width: 640, height: 360 });
    expect(await sniffFile(out('poster-still.jpg'))).toMatchObject({ mime: 'image/jpeg' });
  });

  it('never scales up, and takes a video frame near the start', async () => {
    expect(await media.poster(fx.png, out('poster-png.jpg'))).toMatchObject({ width: 400, height: 300, codec: 'mjpeg' });
    expect(await media.poster(fx.clip, out('poster-clip.jpg'), { maxWidth: 160 })).toMatchObject({ width: 160, height: 120 });
    expect(await media.poster(fx.webm, out('poster-webm.jpg'))).toMatchObject({ width: 256, height: 144 });
  });

  it('fails cleanly and leaves no output for a broken input', async () => {
    expect((await failure(media.poster(fx.textAsMp4, out('poster-bad.jpg')))).code).toBe('probe_failed');
    await expect(readFile(out('poster-bad.jpg'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('tail', () => {
  it('cuts the last N seconds of a 10 s clip as H.264 of that length', async () => {
    const tail = await media.tailClip(fx.clip, out('tail.mp4'), 3);
    expect(tail).toMatchObject({ kind: 'video', codec: 'h264', width: 320, height: 240, hasAudio: true });
    expect(tail.durationSec).toBeGreaterThan(2.9);
    expect(tail.durationSec).toBeLessThan(3.15);
    const webmTail = await media.tailClip(fx.webm, out('tail-webm.mp4'), 1.5);
    expect(webmTail).toMatchObject({ codec: 'h264', width: 256, height: 144, hasAudio: false });
    expect(webmTail.durationSec).toBeCloseTo(1.5, 1);
  });

  it('gives the whole clip when asked for more than it has', async () => {
    const tail = await media.tailClip(fx.mov, out('tail-long.mp4'), 30);
    expect(tail.durationSec).toBeCloseTo(2, 1);
  });

  it('refuses a nonsense length', async () => {
    for (const s of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect((await failure(media.tailClip(fx.clip, out('tail-bad.mp4'), s))).code).toBe('invalid_argument');
    }
  });

  it('takes the very last frame, as PNG or JPEG, at full size', async () => {
    const png = await media.lastFrame(fx.clip, out('last.png'));
    expect(png).toMatchObject({ kind: 'image', codec: 'png', width: 320, height: 240 });
    const jpg = await media.lastFrame(fx.webm, out('last.jpg'));
    expect(jpg).toMatchObject({ kind: 'image', codec: 'mjpeg', width: 256, height: 144 });
    // The reference decodes every frame and keeps the last: the seek must land on the same picture.
    await media.ffmpeg(['-v', 'error', '-y', '-i', fx.clip, '-map', '0:v:0', '-c:v', 'png', '-f', 'image2', '-update', '1', out('last-ref.png')]);
    expect((await readFile(out('last.png'))).equals(await readFile(out('last-ref.png')))).toBe(true);
  });

  it('takes time that does not grow with the clip length', async () => {
    const long = out('long.mp4'); // 60 loops of the 10 s clip, copied without re-encoding
    await media.ffmpeg(['-v', 'error', '-y', '-stream_loop', '59', '-i', fx.clip, '-c', 'copy', long]);
    expect((await media.probe(long)).durationSec).toBeGreaterThan(599);
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const decodeAll = await time(() => media.ffmpeg(['-v', 'error', '-i', long, '-f', 'null', '-']));
    const tail = await time(() => media.tailClip(long, out('long-tail.mp4'), 2));
    const last = await time(() => media.lastFrame(long, out('long-last.png')));
    expect(tail).toBeLessThan(decodeAll / 2);
    expect(last).toBeLessThan(decodeAll / 2);
  });
});
