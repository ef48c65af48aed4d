import { describe, expect, it } from 'vitest';
import { applySend, planSend, type SendInputs, type VideoJobRequest } from '../../../shared/generation/index.js';

const kling = { label: 'Kling', maxReferenceImages: 4, acceptsReferenceVideo: false, maxReferenceVideos: 0, maxAudioRefs: 0, supportsLastFrame: false };
const seedance = { label: 'Seedance', maxReferenceImages: 9, acceptsReferenceVideo: true, maxReferenceVideos: 3, maxAudioRefs: 3, supportsLastFrame: true };

/** References with one version each; `clip` ones hold a video file. */
const ref = (id: string, kind: 'character' | 'location' | 'style' | 'prop' | 'clip', files = 1) => ({
  id, kind, name: `Ref ${id}`, locked: false, currentVersion: `v-${id}`,
  versions: [{ id: `v-${id}`, beat: 'opening', assets: Array.from({ length: files }, (_, i) => `${id}-file${i}`), createdAt: '' }],
});
const refs = [ref('a', 'character'), ref('b', 'location'), ref('c', 'style'), ref('d', 'prop'), ref('e', 'location'), ref('clip', 'clip')];
const videoFiles = new Set(['clip-file0']);

function input(patch: Partial<SendInputs['shot']>, extra: Partial<SendInputs> = {}): SendInputs {
  return {
    shot: { mode: 'reference', refs: {}, ...patch },
    references: refs,
    model: seedance,
    assetKind: (id) => (videoFiles.has(id) ? 'video' : id.includes('-file') || id.startsWith('frame') ? 'image' : undefined),
    ...extra,
  };
}
const assigned = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, '']));
const base: VideoJobRequest = { model: 'm', mode: 'text', prompt: 'p', durationSec: 5, aspectRatio: '16:9' };

describe('planSend: what each mode sends and leaves out', () => {
  it('text mode sends no references and no frames, and says so for each', () => {
    const plan = planSend(input({ mode: 'text', refs: assigned('a', 'b'), startFrame: 'frame1' }));
    expect(plan.references).toEqual([]);
    expect(plan.frames).toEqual([]);
    expect(plan.left).toEqual([
      { what: 'start frame', why: 'text mode sends no frames; use image or extend mode to send it' },
      { what: "'Ref a'", why: 'text mode sends no references; use reference or extend mode to send them' },
      { what: "'Ref b'", why: 'text mode sends no references; use reference or extend mode to send them' },
    ]);
    expect(applySend(base, plan)).toEqual(base);
  });

  it('image mode sends its frames and leaves references out', () => {
    const plan = planSend(input({ mode: 'image', startFrame: 'frame1', endFrame: 'frame2', refs: assigned('a') }));
    expect(plan.frames).toEqual([{ role: 'first', assetId: 'frame1' }, { role: 'last', assetId: 'frame2' }]);
    expect(plan.left).toEqual([{ what: "'Ref a'", why: expect.stringMatching(/^image mode sends no references/) }]);
    expect(applySend({ ...base, mode: 'image' }, plan)).toMatchObject({ firstFrame: { assetId: 'frame1' }, lastFrame: { assetId: 'frame2' } });
  });

  it('a model without end frames sends the start frame and says why the end frame is left out', () => {
    const plan = planSend(input({ mode: 'image', startFrame: 'frame1', endFrame: 'frame2' }, { model: kling }));
    expect(plan.frames).toEqual([{ role: 'first', assetId: 'frame1' }]);
    expect(plan.left).toEqual([{ what: 'end frame', why: 'Kling cannot use an end frame' }]);
  });

  it('reference mode sends references at their versions with roles, and leaves frames out', () => {
    const plan = planSend(input({ mode: 'reference', refs: { a: '', b: 'v-b' }, startFrame: 'frame1' }));
    expect(plan.references.map((r) => [r.referenceId, r.versionId, r.role, r.pinned])).toEqual([['a', 'v-a', 'character', false], ['b', 'v-b', 'location', true]]);
    expect(plan.left).toEqual([{ what: 'start frame', why: expect.stringMatching(/^reference mode sends no frames/) }]);
    expect(applySend({ ...base, mode: 'reference' }, plan).referenceImages).toEqual([
      { media: { assetId: 'a-file0' }, role: 'character' },
      { media: { assetId: 'b-file0' }, role: 'location' },
    ]);
  });

  it('extend mode sends both frames and references', () => {
    const plan = planSend(input({ mode: 'extend', refs: assigned('a'), startFrame: 'frame1' }));
    expect(plan.frames).toHaveLength(1);
    expect(plan.references).toHaveLength(1);
    expect(plan.left).toEqual([]);
  });
});

describe('planSend: slot limits and kinds', () => {
  it('a model with 4 image slots sends the first 4 references and names the fifth with the limit', () => {
    const plan = planSend(input({ refs: assigned('a', 'b', 'c', 'd', 'e') }, { model: kling }));
    expect(plan.references.map((r) => r.referenceId)).toEqual(['a', 'b', 'c', 'd']);
    expect(plan.left).toEqual([{ what: "'Ref e'", why: 'Kling takes at most 4 reference images' }]);
  });

  it('a reference whose files do not all fit is left out whole', () => {
    const plan = planSend(input({ refs: { a: '', b: '' } }, { model: kling, references: [ref('a', 'character', 3), ref('b', 'location', 2)] }));
    expect(plan.references.map((r) => r.referenceId)).toEqual(['a']);
    expect(plan.left).toEqual([{ what: "'Ref b'", why: 'Kling takes at most 4 reference images' }]);
  });

  it('clip references count as clips, not images', () => {
    const plan = planSend(input({ refs: assigned('clip', 'a') }));
    expect(plan.references[0]).toMatchObject({ referenceId: 'clip', assets: [{ assetId: 'clip-file0', as: 'clip' }] });
    const req = applySend({ ...base, mode: 'reference' }, plan);
    expect(req.referenceVideos).toEqual([{ assetId: 'clip-file0' }]);
    expect(req.referenceImages).toEqual([{ media: { assetId: 'a-file0' }, role: 'character' }]);
  });

  it('a clip reference whose file kind is unknown (not listed here) still counts as a clip', () => {
    const plan = planSend(input({ refs: assigned('clip') }, { assetKind: () => undefined }));
    expect(plan.references[0]?.assets).toEqual([{ assetId: 'clip-file0', as: 'clip', slot: 1 }]);
  });

  it('clip references need a model that takes reference video', () => {
    const plan = planSend(input({ refs: assigned('clip', 'a') }, { model: kling }));
    expect(plan.references.map((r) => r.referenceId)).toEqual(['a']);
    expect(plan.left).toEqual([{ what: "'Ref clip'", why: 'clip references need a model that takes reference video; Kling does not' }]);
  });

  it('references without a usable version are said, not silently dropped', () => {
    const noVersion = { ...ref('n', 'prop'), versions: [], currentVersion: '' };
    const plan = planSend(input({ refs: { n: '', a: 'gone' } }, { references: [noVersion, ref('a', 'character')] }));
    expect(plan.references).toEqual([]);
    expect(plan.left).toEqual([
      { what: "'Ref n'", why: 'it has no version yet; add one in References' },
      { what: "'Ref a'", why: 'its pinned version no longer exists; pick another' },
    ]);
  });
});

describe('planSend: the chained tail', () => {
  const tail = { assetId: 'tail-clip', frameAssetId: 'tail-frame', seconds: 3 };

  it('a model that takes reference video gets the tail as a clip, which uses one clip slot', () => {
    const model = { ...seedance, maxReferenceVideos: 1 };
    const plan = planSend(input({ mode: 'reference', refs: assigned('clip', 'a') }, { model, tail }));
    expect(plan.tail).toEqual({ assetId: 'tail-clip', as: 'reference_video', seconds: 3, frameAssetId: 'tail-frame' });
    expect(plan.left).toEqual([{ what: "'Ref clip'", why: 'Seedance takes at most 1 reference clip and the chained tail holds one' }]);
    expect(applySend({ ...base, mode: 'reference' }, plan).referenceVideos).toEqual([{ assetId: 'tail-clip' }]);
  });

  it('otherwise the tail is the start frame: a text shot becomes image mode and its own start frame is left out', () => {
    const text = planSend(input({ mode: 'text', refs: {} }, { model: kling, tail }));
    expect(text.mode).toBe('image');
    expect(applySend(base, text)).toMatchObject({ mode: 'image', firstFrame: { assetId: 'tail-frame' } });
    const image = planSend(input({ mode: 'image', refs: {}, startFrame: 'frame1' }, { model: kling, tail }));
    expect(image.frames).toEqual([]);
    expect(image.left).toEqual([{ what: 'start frame', why: 'the chained tail is the start frame' }]);
    expect(applySend({ ...base, mode: 'image' }, image).firstFrame).toEqual({ assetId: 'tail-frame' });
  });
});

describe('planSend: audio references (voice lines, music, ambience)', () => {
  /** A character with a still and a voice line, and a music cue that is only audio. */
  const voiced = { ...ref('v', 'character'), versions: [{ id: 'v-v', beat: 'opening', assets: ['v-file0', 'v-voice'], createdAt: '' }] };
  const music = (id: string) => ({ ...ref(id, 'style'), name: `Music ${id}`, versions: [{ id: `v-${id}`, beat: 'cue', assets: [`${id}-audio`], createdAt: '' }] });
  const kinds = (id: string) => (id.endsWith('-voice') || id.endsWith('-audio') ? 'audio' : 'image') as 'audio' | 'image';
  const withAudio = (model: SendInputs['model'], ...ids: string[]): SendInputs => ({
    shot: { mode: 'reference', refs: assigned(...ids) },
    references: [voiced, music('m1'), music('m2'), music('m3')],
    model,
    assetKind: kinds,
  });

  it('Seedance takes a character\'s voice line beside its still, as reference audio in the request', () => {
    const plan = planSend(withAudio(seedance, 'v'));
    expect(plan.references[0]!.assets).toEqual([{ assetId: 'v-file0', as: 'image', slot: 1 }, { assetId: 'v-voice', as: 'audio', slot: 1 }]);
    expect(plan.left).toEqual([]);
    const req = applySend({ ...base, mode: 'reference' }, plan);
    expect(req.referenceAudios).toEqual([{ assetId: 'v-voice' }]);
    expect(req.referenceImages).toEqual([{ media: { assetId: 'v-file0' }, role: 'character' }]);
  });

  it('a model without audio still gets the still, and the shot says the voice line is left out and why', () => {
    const plan = planSend(withAudio(kling, 'v', 'm1'));
    expect(plan.references.map((r) => [r.referenceId, r.assets])).toEqual([['v', [{ assetId: 'v-file0', as: 'image', slot: 1 }]]]);
    expect(plan.left).toEqual([
      { what: "'Ref v' audio", why: 'Kling takes no reference audio' },
      { what: "'Music m1' audio", why: 'Kling takes no reference audio' },
    ]);
    expect(applySend({ ...base, mode: 'reference' }, plan).referenceAudios).toBeUndefined();
  });

  it('past the model\'s audio limit the extra sound is left out, naming the limit', () => {
    const plan = planSend(withAudio(seedance, 'v', 'm1', 'm2', 'm3'));
    expect(applySend({ ...base, mode: 'reference' }, plan).referenceAudios).toEqual([{ assetId: 'v-voice' }, { assetId: 'm1-audio' }, { assetId: 'm2-audio' }]);
    expect(plan.left).toEqual([{ what: "'Music m3' audio", why: 'Seedance takes at most 3 reference audio files' }]);
  });
});
