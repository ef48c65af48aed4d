/**
 * The continuity bible mapped per model (shared/generation/send-plan.ts + prompt-tags.ts), on the
 * real model tables the adapters use: which references go, in which slot of their kind, how the
 * prompt names them (Seedance 2.0 `@image1`/`@audio1` tags, plain names where a model reads no
 * tags), what each model's limits leave out and why, and the shot's per-role overrides.
 */
import { describe, expect, it } from 'vitest';
import { applySend, planSend, validateRequest, type ModelInfo, type SendInputs, type VideoJobRequest } from '../../../shared/generation/index.js';
import { ARK_MODELS, ARK_PRICES } from '../../../server/generation/providers/ark.models.js';
import { modelTable } from '../../../server/generation/providers/common.js';
import { KLING_MODELS, KLING_PRICES } from '../../../server/generation/providers/kling.models.js';
import { RUNWAY_MODELS, RUNWAY_PRICES } from '../../../server/generation/providers/runway.models.js';
import { VEO_MODELS, VEO_PRICES } from '../../../server/generation/providers/veo.models.js';

const model = (id: string): ModelInfo => {
  const [provider] = id.split(':');
  const tables = { ark: [ARK_MODELS, ARK_PRICES], kling: [KLING_MODELS, KLING_PRICES], runway: [RUNWAY_MODELS, RUNWAY_PRICES], veo: [VEO_MODELS, VEO_PRICES] } as const;
  const [specs, prices] = tables[provider as keyof typeof tables];
  const info = modelTable(provider!, specs, prices).info(id);
  if (!info) throw new Error(`no model ${id}`);
  return info;
};
const SEEDANCE = model('ark:dreamina-seedance-2-0-260128');
const KLING = model('kling:kling-v2-6');
const KLING_OMNI = model('kling:kling-v3-omni');
const VEO = model('veo:veo-3.1-generate-preview');
const RUNWAY_SEEDANCE = model('runway:seedance2');

type Kind = 'character' | 'location' | 'style' | 'prop' | 'clip';
/** A reference with one version (`v-<id>`) holding `files` (ids ending -audio are sound). */
const ref = (id: string, kind: Kind, name: string, files = [`${id}-still`]) => ({
  id, kind, name, locked: false, currentVersion: `v-${id}`,
  versions: [{ id: `v-${id}`, beat: 'act 1', assets: files, createdAt: '' }],
});
const LIBRARY = [
  ref('mara', 'character', 'Mara'),
  ref('tom', 'character', 'Tom'),
  ref('harbour', 'location', 'Old harbour'),
  ref('noir', 'style', 'Noir'),
  ref('voice', 'character', 'Mara voice', ['voice-audio']),
  ref('lamp', 'prop', 'Lamp'),
  ref('pier', 'location', 'Pier'),
];
const BIBLE = { mara: '', harbour: '', noir: '', voice: '' };

function input(m: ModelInfo, shot: Partial<SendInputs['shot']> = {}, bible: Record<string, string> = BIBLE): SendInputs {
  return {
    shot: { mode: 'reference', refs: {}, prompt: '@Mara walks along the @Old harbour', ...shot },
    references: LIBRARY,
    model: m,
    bible,
    assetKind: (id) => (id.endsWith('-audio') ? 'audio' : 'image'),
  };
}
const base: VideoJobRequest = { model: 'm', mode: 'reference', prompt: 'unmapped', durationSec: 5, aspectRatio: '16:9' };
/** [name, from, slots as "image 1 @image1"] per sent reference. */
const slots = (plan: ReturnType<typeof planSend>) =>
  plan.references.map((r) => [r.name, r.from ?? 'shot', r.assets.map((a) => `${a.as} ${a.slot}${a.tag ? ` ${a.tag}` : ''}`).join(', ')]);

describe('the bible on Seedance 2.0 (BytePlus): 9 images, 3 clips, 3 sounds, @tags in the prompt', () => {
  it('sends the shot\'s own references first, then the bible by role, each file numbered in its kind with its tag', () => {
    const plan = planSend(input(SEEDANCE, { refs: { lamp: '' } }));
    expect(slots(plan)).toEqual([
      ['Lamp', 'shot', 'image 1 @image1'],
      ['Mara', 'bible', 'image 2 @image2'],
      ['Old harbour', 'bible', 'image 3 @image3'],
      ['Noir', 'bible', 'image 4 @image4'],
      ['Mara voice', 'bible', 'audio 1 @audio1'],
    ]);
    expect(plan.references.map((r) => r.role)).toEqual(['prop', 'character', 'location', 'style', 'voice']);
    expect(plan.left).toEqual([]);
    // Mentions become tags; what the prompt does not mention is named first, so each file has a meaning.
    expect(plan.prompt).toBe('@image1 Lamp (prop). @image4 Noir (style). @audio1 Mara voice (voice).\n@image2 walks along the @image3');
    // The request carries exactly that order and prompt.
    const req = applySend(base, plan);
    expect(req.prompt).toBe(plan.prompt);
    expect(req.referenceImages?.map((r) => r.media.assetId)).toEqual(['lamp-still', 'mara-still', 'harbour-still', 'noir-still']);
    expect(req.referenceAudios).toEqual([{ assetId: 'voice-audio' }]);
  });

  it('a mention of a voice (no picture) becomes its audio tag; an unknown @word stays as typed', () => {
    const plan = planSend(input(SEEDANCE, { prompt: '@Mara says hello in @Mara voice, ask @someone' }));
    expect(plan.prompt).toBe('@image2 Old harbour (location). @image3 Noir (style).\n@image1 says hello in @audio1, ask @someone');
  });

  it('a reference both assigned and in the bible is sent once, as the shot\'s, at the shot\'s pin', () => {
    const lib = [...LIBRARY.filter((r) => r.id !== 'mara'), { ...ref('mara', 'character', 'Mara'), versions: [ref('mara', 'character', 'Mara').versions[0]!, { id: 'v-mara-2', beat: 'act 2', assets: ['mara-2'], createdAt: 'z' }] }];
    const plan = planSend({ ...input(SEEDANCE, { refs: { mara: 'v-mara-2' } }), references: lib });
    const mara = plan.references.filter((r) => r.referenceId === 'mara');
    expect(mara).toHaveLength(1);
    expect(mara[0]).toMatchObject({ versionId: 'v-mara-2', pinned: true });
    expect(mara[0]!.from).toBeUndefined();
  });
});

describe('the bible on models with fewer slots and no tags', () => {
  it('Kling 2.6: 4 image slots by position, no audio, mentions become plain names, no legend', () => {
    const plan = planSend(input(KLING, { refs: { lamp: '', pier: '' } }));
    expect(slots(plan)).toEqual([
      ['Lamp', 'shot', 'image 1'],
      ['Pier', 'shot', 'image 2'],
      ['Mara', 'bible', 'image 3'],
      ['Old harbour', 'bible', 'image 4'],
    ]);
    expect(plan.left).toEqual([
      { what: "'Noir' (bible)", why: 'Kling 2.6 takes at most 4 reference images' },
      { what: "'Mara voice' (bible) audio", why: 'Kling 2.6 takes no reference audio' },
    ]);
    expect(plan.prompt).toBe('Mara walks along the Old harbour');
  });

  it('Kling 3.0 Omni: 7 shared image slots named <<<image_N>>> in the prompt, no audio', () => {
    const plan = planSend(input(KLING_OMNI, { refs: { lamp: '', pier: '', tom: '' } }));
    expect(slots(plan)).toEqual([
      ['Lamp', 'shot', 'image 1 <<<image_1>>>'],
      ['Pier', 'shot', 'image 2 <<<image_2>>>'],
      ['Tom', 'shot', 'image 3 <<<image_3>>>'],
      ['Mara', 'bible', 'image 4 <<<image_4>>>'],
      ['Old harbour', 'bible', 'image 5 <<<image_5>>>'],
      ['Noir', 'bible', 'image 6 <<<image_6>>>'],
    ]);
    expect(plan.left).toEqual([{ what: "'Mara voice' (bible) audio", why: 'Kling 3.0 Omni (name unverified) takes no reference audio' }]);
    expect(plan.prompt).toBe('<<<image_1>>> Lamp (prop). <<<image_2>>> Pier (location). <<<image_3>>> Tom (character). <<<image_6>>> Noir (style).\n<<<image_4>>> walks along the <<<image_5>>>');
  });

  it('Veo 3.1: 3 reference images, the rest named with the limit', () => {
    const plan = planSend(input(VEO));
    expect(slots(plan)).toEqual([['Mara', 'bible', 'image 1'], ['Old harbour', 'bible', 'image 2'], ['Noir', 'bible', 'image 3']]);
    expect(plan.left).toEqual([{ what: "'Mara voice' (bible) audio", why: 'Veo 3.1 (Gemini) takes no reference audio' }]);
  });

  it('Runway\'s Seedance 2: tags, but no reference audio on that route', () => {
    const plan = planSend(input(RUNWAY_SEEDANCE));
    expect(slots(plan)).toEqual([['Mara', 'bible', 'image 1 @image1'], ['Old harbour', 'bible', 'image 2 @image2'], ['Noir', 'bible', 'image 3 @image3']]);
    expect(plan.left).toEqual([{ what: "'Mara voice' (bible) audio", why: 'Seedance 2 (Runway) takes no reference audio' }]);
  });

  it('a model that cannot take references at all (Kling 2.5 Turbo has no reference mode) leaves them out by mode, not silently', () => {
    const plan = planSend(input(model('kling:kling-v2-5-turbo'), { mode: 'text' }));
    expect(plan.references).toEqual([]);
    expect(plan.left).toEqual([{ what: 'the continuity bible (4 references)', why: 'text mode sends no references; use reference or extend mode to send them' }]);
  });
});

describe('the bible never blocks a shot whose frames the model cannot mix with references', () => {
  it('Seedance 2.0, an extend-mode shot with its own start frame: the frame goes, the bible waits and says why', () => {
    const plan = planSend(input(SEEDANCE, { mode: 'extend', startFrame: 'frame1' }));
    expect(plan.frames).toEqual([{ role: 'first', assetId: 'frame1' }]);
    expect(plan.references).toEqual([]);
    expect(plan.left).toEqual([{ what: 'the continuity bible (4 references)', why: 'Seedance 2.0 (BytePlus) cannot combine frames with references, and this shot sends a start or end frame' }]);
    expect(validateRequest(applySend({ ...base, model: SEEDANCE.id, mode: 'extend' }, plan), SEEDANCE)).toEqual([]);
  });

  it('Seedance 2.0 continues the tail as a reference video, so the bible still goes with it', () => {
    const plan = planSend({ ...input(SEEDANCE, { mode: 'extend' }), tail: { assetId: 'tail', frameAssetId: 'tail-last', seconds: 3 } });
    expect(plan.tail?.as).toBe('reference_video');
    expect(plan.references.map((r) => r.name)).toEqual(['Mara', 'Old harbour', 'Noir', 'Mara voice']);
  });
});

describe('a shot overrides the bible per role', () => {
  it('replace: the bible\'s characters give way to the shot\'s own; other roles still inherit', () => {
    const plan = planSend(input(SEEDANCE, { refs: { tom: '' }, bible: { character: 'replace' } }));
    expect(slots(plan).map(([name, from]) => `${name}/${from}`)).toEqual(['Tom/shot', 'Old harbour/bible', 'Noir/bible', 'Mara voice/bible']);
    expect(plan.left).toEqual([{ what: "'Mara' (bible)", why: "this shot replaces the bible's characters with its own" }]);
  });

  it('drop: nothing of the role goes, neither the bible\'s nor the shot\'s own', () => {
    const plan = planSend(input(SEEDANCE, { refs: { pier: '' }, bible: { location: 'drop', voice: 'drop' } }));
    expect(plan.references.map((r) => r.name)).toEqual(['Mara', 'Noir']);
    expect(plan.left).toEqual([
      { what: "'Pier'", why: 'this shot drops locations' },
      { what: "'Old harbour' (bible)", why: 'this shot drops locations' },
      { what: "'Mara voice' (bible)", why: 'this shot drops voices' },
    ]);
  });
});

describe('bad bible entries are named, never silently skipped', () => {
  it('an entry whose reference was deleted, a prop in the bible, a pinned version gone', () => {
    const plan = planSend(input(SEEDANCE, {}, { gone: '', lamp: '', mara: 'v-deleted' }));
    expect(plan.references).toEqual([]);
    expect(plan.left).toEqual([
      { what: 'a bible entry', why: 'its reference was deleted; remove it from the continuity bible' },
      { what: "'Mara' (bible)", why: 'its pinned version no longer exists; pick another' },
      { what: "'Lamp' (bible)", why: 'a prop is not a bible role (characters, locations, style, voices); assign it to shots instead' },
    ]);
  });
});
