import { readdir, readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ANIMATIC_SIZES, ASPECT_RATIOS, renderAnimatic, type AnimaticInput } from '../../server/generation/animatic/index.js';
import { rejection, streamInfo, useAnimaticFixtures } from './helpers.js';

const t = useAnimaticFixtures();

const base: AnimaticInput = { durationSec: 4, aspectRatio: '16:9', seed: 11, title: 'Night market', prompt: 'Lanterns sway over the stalls' };

describe('output format', () => {
  it.each([2, 4, 6])('%i s: exact frame count, duration within a frame, H.264 yuv420p at a constant rate', async (sec) => {
    const out = t.fx.out(`dur-${sec}.mp4`);
    const res = await renderAnimatic(t.media, { ...base, durationSec: sec, camera: 'push-in' }, out);
    expect(res).toEqual({ durationSec: sec, width: 640, height: 360, fps: 24 });
    const info = await t.media.probe(out);
    expect(info).toMatchObject({ kind: 'video', codec: 'h264', width: 640, height: 360, fps: 24, hasAudio: false });
    expect(Math.abs(info.durationSec! - sec)).toBeLessThanOrEqual(1 / 24);
    const s = await streamInfo(out);
    expect(s).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', rFrameRate: '24/1', avgFrameRate: '24/1', frames: sec * 24, streams: 1 });
    const bytes = await readFile(out);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat')); // +faststart
  });

  it('rounds odd durations to whole frames and honours fps', async () => {
    const out = t.fx.out('odd.mp4');
    const res = await renderAnimatic(t.media, { ...base, durationSec: 2.51, fps: 30 }, out);
    expect((await streamInfo(out)).frames).toBe(75);
    expect(Math.abs(res.durationSec - 2.51)).toBeLessThanOrEqual(1 / 30);
    const ntsc = await renderAnimatic(t.media, { ...base, durationSec: 2, fps: 23.976 }, t.fx.out('ntsc.mp4'));
    expect(ntsc.fps).toBeCloseTo(23.976, 3);
    expect((await streamInfo(t.fx.out('ntsc.mp4'))).rFrameRate).toBe('24000/1001');
  });

  it.each(ASPECT_RATIOS.map((a) => [a]))('%s: size from the aspect ratio, with images of other shapes', async (aspect) => {
    const out = t.fx.out(`aspect-${aspect.replace(':', 'x')}.mp4`);
    const { width, height } = ANIMATIC_SIZES[aspect];
    expect(width % 2 + (height % 2)).toBe(0);
    const res = await renderAnimatic(t.media, { ...base, durationSec: 2, aspectRatio: aspect, startFrame: t.fx.end, referenceImages: t.fx.refs, endFrame: t.fx.refs[2]! }, out);
    expect(res).toMatchObject({ width, height });
    expect(await streamInfo(out)).toMatchObject({ width, height, pixFmt: 'yuv420p', frames: 48 });
  });

  it('renders from reference images alone, and with nothing at all', async () => {
    await expect(renderAnimatic(t.media, { ...base, durationSec: 2, referenceImages: t.fx.refs }, t.fx.out('refs.mp4'))).resolves.toMatchObject({ width: 640 });
    await expect(renderAnimatic(t.media, { ...base, durationSec: 2, title: '', prompt: '' }, t.fx.out('bare.mp4'))).resolves.toMatchObject({ width: 640 });
  });
});

describe('bad input', () => {
  it.each<[string, Partial<AnimaticInput>]>([
    ['durationSec', { durationSec: 0 }],
    ['durationSec', { durationSec: 61 }],
    ['durationSec', { durationSec: Number.NaN }],
    ['aspectRatio', { aspectRatio: '2:1' as '16:9' }],
    ['fps', { fps: 25.5 }],
    ['fps', { fps: 0 }],
    ['seed', { seed: Number.POSITIVE_INFINITY }],
    ['startFrame', { startFrame: '/nonexistent/frame.png' }],
    ['referenceImages', { referenceImages: ['/nonexistent/ref.png'] }],
  ])('refuses a bad %s before running ffmpeg, and writes nothing', async (field, patch) => {
    const out = t.fx.out(`bad-${field}.mp4`);
    const err = await rejection(renderAnimatic(t.media, { ...base, ...patch }, out));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(field);
    await expect(stat(out)).rejects.toThrow();
  });

  it('leaves no partial file when ffmpeg fails', async () => {
    const out = t.fx.out('broken.mp4');
    const notAnImage = t.fx.out('notes.png');
    await import('node:fs/promises').then((fs) => fs.writeFile(notAnImage, 'not a picture'));
    const err = await rejection(renderAnimatic(t.media, { ...base, startFrame: notAnImage }, out));
    expect(err.code).toBe('ffmpeg_failed');
    expect((await readdir(t.fx.dir)).filter((n) => n.includes('broken'))).toEqual([]);
  });
});
