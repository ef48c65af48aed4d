import { describe, expect, it } from 'vitest';
import { BOARD_TITLE, TRICKY_PROMPT, TRICKY_TITLE, useChainedBoard } from './helpers.js';
import { findAll, parseEdl, parseXml, tcFrames } from './parsers.js';

const { srv, b } = useChainedBoard();

const get = (file: string) => b.owner.client.get(`/api/boards/${b.boardId}/export/${file}`);
const rt = (value: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: 24, value });
const range = (start: number, duration: number) => ({ OTIO_SCHEMA: 'TimeRange.1', start_time: rt(start), duration: rt(duration) });

describe('timeline.otio', () => {
  it('is an OTIO Timeline with one video track of the selected takes, field by field', async () => {
    const res = await get('timeline.otio');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+ - timeline\.otio"; filename\*=UTF-8''.+timeline\.otio$/);
    const otio = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;

    expect(otio.OTIO_SCHEMA).toBe('Timeline.1');
    expect(otio.name).toBe(BOARD_TITLE);
    expect(otio.global_start_time).toEqual(rt(86400));
    expect(otio.metadata.takeboard).toMatchObject({ boardId: b.boardId, fps: 24, width: 640, height: 360, trimOverlap: false, crossfadeSec: 0 });
    expect(otio.metadata.takeboard.slates).toEqual([{ shotId: b.third, title: 'Epilogue, not shot yet', reason: 'no selected take' }]);

    const stack = otio.tracks;
    expect(stack).toEqual({ OTIO_SCHEMA: 'Stack.1', metadata: {}, name: 'tracks', source_range: null, effects: [], markers: [], enabled: true, children: expect.any(Array) });
    expect(stack.children).toHaveLength(1);
    const track = stack.children[0];
    expect(Object.keys(track).sort()).toEqual(['OTIO_SCHEMA', 'children', 'effects', 'enabled', 'kind', 'markers', 'metadata', 'name', 'source_range']);
    expect(track).toMatchObject({ OTIO_SCHEMA: 'Track.1', kind: 'Video', source_range: null, effects: [], markers: [], enabled: true });
    expect(track.children.map((c: any) => c.OTIO_SCHEMA)).toEqual(['Clip.2', 'Clip.2', 'Gap.1']);
    // The shot without a take is a named gap of its planned length.
    expect(track.children[2]).toMatchObject({ name: 'Shot 3: Epilogue, not shot yet', source_range: range(0, 96), metadata: { takeboard: { shotId: b.third, slate: true, reason: 'no selected take' } } });

    const takes = [b.take1, b.take2];
    track.children.slice(0, 2).forEach((clip: any, i: number) => {
      expect(Object.keys(clip).sort()).toEqual(['OTIO_SCHEMA', 'active_media_reference_key', 'effects', 'enabled', 'markers', 'media_references', 'metadata', 'name', 'source_range']);
      expect(clip.OTIO_SCHEMA).toBe('Clip.2');
      expect(clip.source_range).toEqual(range(0, 72));
      expect(clip.active_media_reference_key).toBe('DEFAULT_MEDIA');
      expect(Object.keys(clip.media_references)).toEqual(['DEFAULT_MEDIA']);
      const ref = clip.media_references.DEFAULT_MEDIA;
      expect(Object.keys(ref).sort()).toEqual(['OTIO_SCHEMA', 'available_image_bounds', 'available_range', 'metadata', 'name', 'target_url']);
      expect(ref).toMatchObject({ OTIO_SCHEMA: 'ExternalReference.1', available_image_bounds: null, available_range: range(0, 72), target_url: `${srv.url}/api/assets/${takes[i]!.clip}` });
    });

    const [c1, c2] = track.children;
    expect(c1.name).toBe(TRICKY_TITLE);
    expect(c1.metadata.takeboard).toMatchObject({
      shotId: b.first, shotTitle: TRICKY_TITLE, takeId: b.take1.id, mode: 'reference', model: 'animatic', prompt: TRICKY_PROMPT,
      seed: 7, costMicroUsd: 0, tailSource: null,
    });
    expect(c1.metadata.takeboard.references).toEqual([
      { referenceId: b.ref.id, name: 'Mara, courier', kind: 'character', versionId: b.ref.v2, beat: 'night, soaked', pinned: true, locked: false },
    ]);
    // The chained shot was sent as image mode, its source's last frame as the start frame.
    expect(c2.metadata.takeboard).toMatchObject({
      shotId: b.second, shotTitle: 'Rooftop', takeId: b.take2.id, mode: 'image', model: 'animatic', seed: 8, costMicroUsd: 0, references: [],
      tailSource: { fromShotId: b.first, takeId: b.take1.id, attachedAs: 'start_frame', tailSeconds: 3, tailAssetId: expect.any(String), trimmedFrames: 0 },
    });
    // The media reference is a working URL for a member.
    const media = await b.owner.client.request('GET', new URL(c2.media_references.DEFAULT_MEDIA.target_url).pathname);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('video/mp4');
  });

  it('starts the chained clip after its repeated frame with trimOverlap', async () => {
    const res = await get('timeline.otio?trimOverlap=1');
    const otio = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    const [c1, c2] = otio.tracks.children[0].children;
    expect(c1.source_range).toEqual(range(0, 72));
    expect(c2.source_range).toEqual(range(1, 71));
    expect(c2.metadata.takeboard.tailSource.trimmedFrames).toBe(1);
  });
});

describe('sequence.edl', () => {
  it('is CMX 3600 with one cut per take at 24 fps, record from 01:00:00:00', async () => {
    const res = await get('sequence.edl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text: string = res.body;
    expect(text.split('\r\n')[0]).toBe('TITLE: Neon Run Cafe, "one-take"');
    const edl = parseEdl(text);
    expect(edl.fcm).toBe('NON-DROP FRAME');
    expect(edl.events.map((e) => [e.num, e.reel, e.track, e.transition, e.srcIn, e.srcOut, e.recIn, e.recOut])).toEqual([
      [1, 'AX', 'V', 'C', '00:00:00:00', '00:00:03:00', '01:00:00:00', '01:00:03:00'],
      [2, 'AX', 'V', 'C', '00:00:00:00', '00:00:03:00', '01:00:03:00', '01:00:06:00'],
      [3, 'BL', 'V', 'C', '00:00:00:00', '00:00:04:00', '01:00:06:00', '01:00:10:00'],
    ]);
    expect(edl.events[2]!.comments).toEqual(['* FROM CLIP NAME: Shot 3: Epilogue, not shot yet', `* TAKEBOARD SHOT ${b.third} SLATE: no selected take`]);
    expect(text).toMatch(/^001  AX       V     C        00:00:00:00 00:00:03:00 01:00:00:00 01:00:03:00$/m);
    // The title's line break cannot end the comment early.
    expect(edl.events[0]!.comments[0]).toBe('* FROM CLIP NAME: Alley, "night" <run> & rain second line');
    expect(edl.events[1]!.comments).toContain('* FROM CLIP NAME: Rooftop');
    expect(edl.events[1]!.comments).toContain(`* TAKEBOARD SHOT ${b.second} TAKE ${b.take2.id}`);
  });

  it('keeps durations consistent when the overlap is trimmed', async () => {
    const edl = parseEdl((await get('sequence.edl?trimOverlap=1')).body);
    const [e1, e2] = edl.events;
    expect([e2!.srcIn, e2!.srcOut, e2!.recIn, e2!.recOut]).toEqual(['00:00:00:01', '00:00:03:00', '01:00:03:00', '01:00:05:23']);
    for (const e of edl.events) expect(tcFrames(e.srcOut, 24) - tcFrames(e.srcIn, 24)).toBe(tcFrames(e.recOut, 24) - tcFrames(e.recIn, 24));
    expect(e1!.recOut).toBe(e2!.recIn);
  });
});

describe('sequence.fcpxml', () => {
  it('is well-formed FCPXML 1.10 with a format, one asset per clip and a spine of asset-clips', async () => {
    const res = await get('sequence.fcpxml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const root = parseXml(res.body);
    expect(root.name).toBe('fcpxml');
    expect(root.attrs.version).toBe('1.10');
    const [resources, library] = root.children;
    expect(resources!.name).toBe('resources');
    expect(library!.name).toBe('library');
    const format = findAll(root, 'format');
    expect(format).toHaveLength(1);
    expect(format[0]!.attrs).toMatchObject({ id: 'r1', frameDuration: '1/24s', width: '640', height: '360' });

    const assets = findAll(resources!, 'asset');
    expect(assets.map((a) => a.attrs.name)).toEqual([TRICKY_TITLE, 'Rooftop']);
    for (const [i, a] of assets.entries()) {
      expect(a.attrs).toMatchObject({ start: '0s', duration: '72/24s', hasVideo: '1', format: 'r1' });
      const rep = findAll(a, 'media-rep');
      expect(rep).toHaveLength(1);
      expect(rep[0]!.attrs).toEqual({ kind: 'original-media', src: `${srv.url}/api/assets/${[b.take1, b.take2][i]!.clip}` });
    }

    const event = findAll(library!, 'event')[0]!;
    expect(event.attrs.name).toBe(BOARD_TITLE);
    const sequence = findAll(event, 'sequence')[0]!;
    expect(findAll(event, 'project')[0]!.attrs.name).toBe(BOARD_TITLE);
    expect(sequence.attrs).toMatchObject({ format: 'r1', duration: '240/24s' });
    const spine = findAll(sequence, 'spine')[0]!;
    expect(spine.children.map((c) => c.name)).toEqual(['asset-clip', 'asset-clip', 'gap']);
    expect(spine.children[2]!.attrs).toMatchObject({ name: 'Shot 3: Epilogue, not shot yet', offset: '144/24s', duration: '96/24s' });
    const clips = spine.children.filter((c) => c.name === 'asset-clip');
    expect(clips.map((c) => [c.attrs.ref, c.attrs.name, c.attrs.offset, c.attrs.start, c.attrs.duration])).toEqual([
      [assets[0]!.attrs.id, TRICKY_TITLE, '0s', '0s', '72/24s'],
      [assets[1]!.attrs.id, 'Rooftop', '72/24s', '0s', '72/24s'],
    ]);
    // Escaped, not injected: the title's markup is text.
    expect(res.body).not.toContain('<run>');
    expect(res.body).toContain('&lt;run&gt;');
  });

  it('offsets the chained clip past its repeated frame with trimOverlap', async () => {
    const root = parseXml((await get('sequence.fcpxml?trimOverlap=1')).body);
    const clips = findAll(root, 'asset-clip');
    expect(clips[1]!.attrs).toMatchObject({ offset: '72/24s', start: '1/24s', duration: '71/24s' });
    expect(findAll(root, 'sequence')[0]!.attrs.duration).toBe('239/24s');
  });
});

describe('crossfades in every timeline', () => {
  // Trim + a 0.5 s crossfade: shot 1 (0-72) dissolves over 12 frames into shot 2 (source 1-72,
  // from record 60), then the slate from 131 for 96 frames: 227 frames in all.
  const q = '?trimOverlap=1&crossfade=0.5';

  it('EDL: the outgoing event ends where a CMX dissolve event of 12 frames starts', async () => {
    const text: string = (await get(`sequence.edl${q}`)).body;
    const edl = parseEdl(text);
    expect(edl.events.map((e) => [e.num, e.reel, e.transition, e.length, e.srcIn, e.srcOut, e.recIn, e.recOut])).toEqual([
      [1, 'AX', 'C', undefined, '00:00:00:00', '00:00:02:12', '01:00:00:00', '01:00:02:12'],
      [2, 'AX', 'C', undefined, '00:00:02:12', '00:00:02:12', '01:00:02:12', '01:00:02:12'],
      [2, 'AX', 'D', 12, '00:00:00:01', '00:00:03:00', '01:00:02:12', '01:00:05:11'],
      [3, 'BL', 'C', undefined, '00:00:00:00', '00:00:04:00', '01:00:05:11', '01:00:09:11'],
    ]);
    expect(text).toMatch(/^002  AX       V     D    012 00:00:00:01 00:00:03:00 01:00:02:12 01:00:05:11$/m);
    expect(edl.events[2]!.comments.slice(0, 2)).toEqual([`* FROM CLIP NAME: Alley, "night" <run> & rain second line`, '* TO CLIP NAME: Rooftop']);
  });

  it('OTIO: a SMPTE_Dissolve Transition between the clips, record time adding up to the plan', async () => {
    const res = await get(`timeline.otio${q}`);
    const otio = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    const items = otio.tracks.children[0].children;
    expect(items.map((c: any) => c.OTIO_SCHEMA)).toEqual(['Clip.2', 'Transition.1', 'Clip.2', 'Gap.1']);
    expect(items[1]).toEqual({ OTIO_SCHEMA: 'Transition.1', metadata: {}, name: 'Cross Dissolve', in_offset: rt(0), out_offset: rt(12), transition_type: 'SMPTE_Dissolve' });
    expect([items[0].source_range, items[2].source_range, items[3].source_range]).toEqual([range(0, 60), range(1, 71), range(0, 96)]);
    expect(items[2].metadata.takeboard).toMatchObject({ crossfadeFrames: 12, tailSource: { trimmedFrames: 1 } });
    expect(otio.metadata.takeboard).toMatchObject({ trimOverlap: true, crossfadeSec: 0.5 });
  });

  it('FCPXML: a Cross Dissolve transition on the spine at the plan’s record time', async () => {
    const root = parseXml((await get(`sequence.fcpxml${q}`)).body);
    const spine = findAll(root, 'spine')[0]!;
    expect(spine.children.map((c) => [c.name, c.attrs.offset, c.attrs.start, c.attrs.duration])).toEqual([
      ['asset-clip', '0s', '0s', '60/24s'],
      ['transition', '60/24s', undefined, '12/24s'],
      ['asset-clip', '60/24s', '1/24s', '71/24s'],
      ['gap', '131/24s', '0s', '96/24s'],
    ]);
    expect(spine.children[1]!.attrs.name).toBe('Cross Dissolve');
    expect(findAll(root, 'sequence')[0]!.attrs.duration).toBe('227/24s');
  });
});
