import { describe, expect, it } from 'vitest';
import type { Asset } from '../../../../shared/api';
import type { ReferenceView, ShotView, TakeView } from '../../../../shared/doc';
import { frameChoices, frameName } from './frame-choices';

const asset = (id: string, p: Partial<Asset>): Asset => ({
  id, kind: 'image', mime: 'image/png', bytes: 1, sha256: id, width: 640, height: 360, name: `${id}.png`, origin: 'upload', createdAt: '2026-12-01T10:00:00.000Z', ...p,
});
const shot = (id: string, title = ''): ShotView => ({ id, title } as ShotView);
const take = (id: string, p: Partial<TakeView>): TakeView => ({ id, status: 'succeeded', ...p } as TakeView);
const ref = (p: Partial<ReferenceView>): ReferenceView => ({ id: 'ref_1', rank: 'a0', kind: 'character', name: 'Mara', description: '', versions: [], currentVersion: '', locked: false, ...p });

describe('frameChoices', () => {
  const assets = [
    asset('up_old', { name: 'alley-plate.jpg', createdAt: '2026-12-01T09:00:00.000Z' }),
    asset('up_new', { name: 'teammate sketch.png', createdAt: '2026-12-02T09:00:00.000Z', width: 1920, height: 1080 }),
    asset('sheet_a', { name: 'mara-front.png' }),
    asset('sheet_b', { name: 'mara-side.png' }),
    asset('clipref', { kind: 'video', name: 'walk.mp4' }),
    asset('lf_2', { name: 'take-take_2-last-frame.png', origin: 'derived' }),
    asset('po_2', { name: 'take-take_2-poster.jpg', origin: 'derived', mime: 'image/jpeg' }),
    asset('orphan_still', { name: 'take-take_gone-last-frame.png', origin: 'derived' }),
    asset('clip_2', { kind: 'video', name: 'take-take_2.mp4', origin: 'take' }),
  ];
  const src = {
    shots: [shot('s1', 'Alley'), shot('s2'), shot('s3', 'Rooftop')],
    takes: {
      s1: [take('t1', { number: 1, poster: 'po_1' })],
      s3: [take('t_a', { number: 1 }), take('t_b', { number: 2, lastFrame: 'lf_2', poster: 'po_2', clip: 'clip_2' })],
    },
    references: [
      ref({ versions: [{ id: 'v1', beat: 'beat 1', assets: ['sheet_a'], createdAt: '1' }, { id: 'v2', beat: 'beat 2', assets: ['sheet_b', 'clipref'], createdAt: '2' }] }),
      ref({ id: 'ref_2', name: 'Neon alley', kind: 'location', versions: [{ id: 'v3', beat: '', assets: ['up_old'], createdAt: '3' }] }),
    ],
    assets,
  };

  it('names every image for what it is: reference beat and kind, take still, upload file name', () => {
    const labels = frameChoices(src).map((c) => [c.group, c.label]);
    expect(labels).toEqual([
      ['reference', 'Mara, beat 1 (character)'],
      ['reference', 'Mara, beat 2 (character)'],
      ['reference', 'Neon alley (location)'],
      ['take', 'poster of shot 1 take #1'],
      ['take', 'last frame of shot 3 take #2'],
      ['take', 'poster of shot 3 take #2'],
      ['upload', 'teammate sketch.png'],
    ]);
  });

  it('never lists generated files by their internal names, nor videos, nor stills of takes no longer on the board', () => {
    const all = frameChoices(src);
    for (const c of all) expect(c.label).not.toMatch(/take-|poster\.jpg|last-frame|\.mp4/);
    const ids = all.map((c) => c.assetId);
    expect(ids).not.toContain('orphan_still');
    expect(ids).not.toContain('clipref');
    expect(ids).not.toContain('clip_2');
  });

  it('lists anyone’s uploads (the server’s list, not this session’s), newest first, with their size', () => {
    const uploads = frameChoices({ ...src, references: [] }).filter((c) => c.group === 'upload');
    expect(uploads.map((c) => [c.label, c.detail])).toEqual([
      ['teammate sketch.png', '1920×1080'],
      ['mara-front.png', '640×360'],
      ['mara-side.png', '640×360'],
      ['alley-plate.jpg', '640×360'],
    ]);
  });

  it('numbers several images of one version, and falls back to the take’s place when it has no number', () => {
    const c = frameChoices({
      ...src,
      references: [ref({ versions: [{ id: 'v', beat: 'beat 3', assets: ['sheet_a', 'sheet_b'], createdAt: '1' }] })],
      takes: { s2: [take('x', { lastFrame: 'lf_2' })] },
    });
    expect(c.map((x) => x.label).slice(0, 3)).toEqual(['Mara, beat 3 (character), image 1 of 2', 'Mara, beat 3 (character), image 2 of 2', 'last frame of shot 2 take #1']);
  });

  it('says so when the shot holds a frame that is no longer listed', () => {
    expect(frameName(frameChoices(src), 'lf_2')).toBe('last frame of shot 3 take #2');
    expect(frameName(frameChoices(src), 'orphan_still')).toBe('an image no longer listed on the board');
  });
});
