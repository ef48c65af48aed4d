import { describe, expect, it } from 'vitest';
import { CAMERA_MOVES, renderAnimatic, type AnimaticInput } from '../../server/generation/animatic/index.js';
import { grayFrame, meanAbsDiff, useAnimaticFixtures } from './helpers.js';

const t = useAnimaticFixtures();

const shot: AnimaticInput = { durationSec: 3, aspectRatio: '16:9', seed: 5, title: 'Rooftop', prompt: 'The chase crosses the roofs at dusk' };
const small = (file: string, at: 'first' | 'last' | number = 'first') => grayFrame(file, 64, 36, at);

describe('one-take chains', () => {
  it('a chained shot opens on the previous take\'s last frame', async () => {
    const first = t.fx.out('shot-a.mp4');
    await renderAnimatic(t.media, { ...shot, camera: 'pan-right' }, first);
    const tail = t.fx.out('shot-a-last.png');
    await t.media.lastFrame(first, tail);

    const second = t.fx.out('shot-b.mp4');
    await renderAnimatic(t.media, { ...shot, seed: 6, title: 'Street', prompt: 'Drops to the street', camera: 'push-in', chainFrame: tail, referenceImages: t.fx.refs }, second);
    const opening = await small(second);
    const chain = await small(tail);
    const diff = meanAbsDiff(opening, chain);
    console.log(`chained opening frame vs chain frame: mean abs diff ${diff.toFixed(2)} / 255`);
    expect(diff).toBeLessThan(2);
    // Not a coincidence: the shot's own background, or any other picture, is far off.
    expect(meanAbsDiff(opening, await small(t.fx.start))).toBeGreaterThan(20);
    expect(meanAbsDiff(await small(second, 36), chain)).toBeGreaterThan(3); // it moves on from there
  });

  it('the last frame carries no caption, so captions do not pile up along a chain', async () => {
    const captioned = t.fx.out('cap.mp4');
    const bare = t.fx.out('bare.mp4');
    await renderAnimatic(t.media, { ...shot, camera: 'orbit', referenceImages: [t.fx.start, ...t.fx.refs] }, captioned);
    await renderAnimatic(t.media, { ...shot, camera: 'orbit', title: '', prompt: '', referenceImages: [t.fx.start] }, bare);
    expect(meanAbsDiff(await small(captioned, 'last'), await small(bare, 'last'))).toBeLessThan(1);
    expect(meanAbsDiff(await small(captioned, 36), await small(bare, 36))).toBeGreaterThan(2); // shown mid-shot
  });

  it('a start frame is the first frame, and the end frame the last', async () => {
    const out = t.fx.out('start-end.mp4');
    await renderAnimatic(t.media, { ...shot, camera: 'orbit', startFrame: t.fx.start, endFrame: t.fx.end }, out);
    expect(meanAbsDiff(await small(out), await small(t.fx.start))).toBeLessThan(2);
    const end = await grayFrame(t.fx.end, 64, 48); // 4:3 bars, cropped to cover 16:9
    const endCropped = end.subarray(6 * 64, 42 * 64);
    expect(meanAbsDiff(await small(out, 'last'), endCropped)).toBeLessThan(6);
  });
});

describe('camera moves', () => {
  it.each(CAMERA_MOVES.map((m) => [m]))('%s renders, opens on the start frame and moves (or holds)', async (camera) => {
    const out = t.fx.out(`cam-${camera}.mp4`);
    const res = await renderAnimatic(t.media, { ...shot, durationSec: 2, title: '', prompt: '', camera, startFrame: t.fx.start }, out);
    expect(res).toMatchObject({ width: 640, height: 360, durationSec: 2 });
    const start = await small(t.fx.start);
    expect(meanAbsDiff(await small(out), start)).toBeLessThan(2);
    const moved = meanAbsDiff(await small(out, 'last'), start);
    if (camera === 'static') expect(moved).toBeLessThan(2);
    else expect(moved).toBeGreaterThan(4);
  });

  it('free text maps to a move, unknown text holds still', async () => {
    const { normalizeCamera } = await import('../../server/generation/animatic/index.js');
    expect(normalizeCamera('Push In')).toBe('push-in');
    expect(normalizeCamera('pan_left')).toBe('pan-left');
    expect(normalizeCamera(' dolly out ')).toBe('pull-out');
    expect(normalizeCamera('slow crane over the city')).toBe('static');
    expect(normalizeCamera(undefined)).toBe('static');
  });
});
