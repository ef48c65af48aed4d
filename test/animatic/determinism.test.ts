import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderAnimatic, type AnimaticInput } from '../../server/generation/animatic/index.js';
import { BACKGROUND_KINDS, proceduralBackground } from '../../server/generation/animatic/background.js';
import { frameMd5, grayFrame, meanAbsDiff, useAnimaticFixtures } from './helpers.js';

const t = useAnimaticFixtures();

const shot: AnimaticInput = { durationSec: 2, aspectRatio: '16:9', seed: 42, title: 'Harbour', prompt: 'Fog rolls over the cranes', camera: 'orbit' };

describe('determinism', () => {
  it('the same seed and inputs give identical frames and identical bytes', async () => {
    const input = { ...shot, referenceImages: t.fx.refs, endFrame: t.fx.end };
    const [a, b] = [t.fx.out('same-a.mp4'), t.fx.out('same-b.mp4')];
    await Promise.all([renderAnimatic(t.media, input, a), renderAnimatic(t.media, input, b)]);
    const [ma, mb] = await Promise.all([frameMd5(a), frameMd5(b)]);
    expect(ma).toHaveLength(48);
    expect(ma).toEqual(mb);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it('different seeds give different frames', async () => {
    const frames = await Promise.all([42, 43, 44].map(async (seed) => {
      const out = t.fx.out(`seed-${seed}.mp4`);
      await renderAnimatic(t.media, { ...shot, seed }, out);
      return (await frameMd5(out)).join('\n');
    }));
    expect(new Set(frames).size).toBe(3);
  });

  it('the seed varies the move over the same start frame', async () => {
    const outs = [1, 2].map((seed) => t.fx.out(`seed-img-${seed}.mp4`));
    await Promise.all(outs.map((out, i) => renderAnimatic(t.media, { ...shot, seed: i + 1, camera: 'push-in', startFrame: t.fx.start }, out)));
    expect(await frameMd5(outs[0]!)).not.toEqual(await frameMd5(outs[1]!));
    // The same opening picture (x264 may spend bits on it a little differently: compare pixels).
    const [a, b] = await Promise.all(outs.map((out) => grayFrame(out, 64, 36)));
    expect(meanAbsDiff(a!, b!)).toBeLessThan(1);
  });

  it('on the same start frame with a locked camera, seeds still differ visibly mid-clip, never on frame 0 or the last', async () => {
    const base = { ...shot, camera: 'static', startFrame: t.fx.start, title: '', prompt: '' };
    const outs = [7, 8].map((seed) => t.fx.out(`seed-static-${seed}.mp4`));
    await Promise.all(outs.map((out, i) => renderAnimatic(t.media, { ...base, seed: i + 7 }, out)));
    const at = (n: number | 'first' | 'last') => Promise.all(outs.map((out) => grayFrame(out, 64, 36, n)));
    const [mid, first, last] = await Promise.all([at(24), at('first'), at('last')]);
    expect(meanAbsDiff(mid[0]!, mid[1]!)).toBeGreaterThan(4);
    expect(meanAbsDiff(first[0]!, first[1]!)).toBeLessThan(1);
    expect(meanAbsDiff(last[0]!, last[1]!)).toBeLessThan(1);
  });

  it('with no camera named, the seed picks the move; the same seed picks the same frames', async () => {
    const base = { ...shot, camera: undefined, startFrame: t.fx.start, title: '', prompt: '' };
    const outs = ['a', 'b', 'c'].map((n) => t.fx.out(`seed-move-${n}.mp4`));
    await Promise.all([renderAnimatic(t.media, { ...base, seed: 11 }, outs[0]!), renderAnimatic(t.media, { ...base, seed: 11 }, outs[1]!), renderAnimatic(t.media, { ...base, seed: 12 }, outs[2]!)]);
    const [a, b, c] = await Promise.all(outs.map(frameMd5));
    expect(a).toEqual(b);
    const [la, lc] = await Promise.all([outs[0]!, outs[2]!].map((out) => grayFrame(out, 64, 36, 'last')));
    expect(meanAbsDiff(la!, lc!)).toBeGreaterThan(4);
    expect(c).not.toEqual(a);
  });

  it('every procedural background kind renders', async () => {
    const seeds = new Map<string, number>();
    for (let seed = 0; seeds.size < BACKGROUND_KINDS.length && seed < 200; seed++) {
      const { kind } = proceduralBackground(seed, { width: 640, height: 360 }, { width: 1280, height: 720 });
      if (!seeds.has(kind)) seeds.set(kind, seed);
    }
    expect([...seeds.keys()].sort()).toEqual([...BACKGROUND_KINDS].sort());
    for (const [kind, seed] of seeds) {
      await expect(renderAnimatic(t.media, { ...shot, seed, durationSec: 1 }, t.fx.out(`bg-${kind}.mp4`))).resolves.toMatchObject({ width: 640 });
    }
  });
});

describe('speed', () => {
  it('reports how long a 4 s clip takes', async () => {
    const cases: Array<[string, Partial<AnimaticInput>]> = [
      ['procedural, orbit', {}],
      ['start frame, push-in, insets, end frame', { camera: 'push-in', startFrame: t.fx.start, referenceImages: t.fx.refs, endFrame: t.fx.end }],
      ['9:16 pull-out', { aspectRatio: '9:16', camera: 'pull-out', startFrame: t.fx.start }],
    ];
    for (const [name, patch] of cases) {
      const t0 = performance.now();
      await renderAnimatic(t.media, { ...shot, ...patch, durationSec: 4 }, t.fx.out('speed.mp4'));
      console.log(`animatic 4 s render (${name}): ${Math.round(performance.now() - t0)} ms`);
    }
  });
});
