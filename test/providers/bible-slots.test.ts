/**
 * What each adapter actually sends for a shot with a continuity bible: the plan the shot detail
 * shows (planSend with the adapter's own model info) is turned into the request (applySend) and
 * submitted to the provider's fake; the file in each slot of the body, and the prompt, must be
 * the ones the plan names for that slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySend, planSend, type SendPlan, type VideoJobRequest } from '../../shared/generation/index.js';
import { createArkProvider } from '../../server/generation/providers/ark.js';
import { createKlingProvider } from '../../server/generation/providers/kling.js';
import type { ProviderAdapter } from '../../server/generation/providers/provider.js';
import { createReplicateProvider } from '../../server/generation/providers/replicate.js';
import { createRunwayProvider } from '../../server/generation/providers/runway.js';
import { createVeoProvider } from '../../server/generation/providers/veo.js';
import { startArkFake } from './fakes/ark.js';
import { allowFakes, type FakeHandle } from './fakes/core.js';
import { startKlingFake } from './fakes/kling.js';
import { startReplicateFake } from './fakes/replicate.js';
import { startRunwayFake } from './fakes/runway.js';
import { startVeoFake } from './fakes/veo.js';
import { testMedia } from './helpers.js';

const CDN = 'https://cdn.example';
const url = (assetId: string) => `${CDN}/${assetId}.png`;

const ref = (id: string, kind: 'character' | 'location' | 'style' | 'prop', name: string, files = [`${id}-still`]) => ({
  id, kind, name, locked: false, currentVersion: `v-${id}`, versions: [{ id: `v-${id}`, beat: 'act 1', assets: files, createdAt: '' }],
});
const LIBRARY = [
  ref('mara', 'character', 'Mara'), ref('harbour', 'location', 'Harbour'), ref('noir', 'style', 'Noir'),
  ref('voice', 'character', 'Mara voice', ['voice-audio']), ref('lamp', 'prop', 'Lamp'),
];

/** The plan for a reference-mode shot (own: Lamp) on the board bible, for `modelId` as `adapter` lists it. */
function planFor(adapter: ProviderAdapter, modelId: string): { plan: SendPlan; req: VideoJobRequest } {
  const model = adapter.models().find((m) => m.id === modelId)!;
  const plan = planSend({
    shot: { mode: 'reference', refs: { lamp: '' }, prompt: '@Mara at the @Harbour' },
    references: LIBRARY,
    model,
    bible: { mara: '', harbour: '', noir: '', voice: '' },
    assetKind: (id) => (id.endsWith('-audio') ? 'audio' : 'image'),
  });
  const req = applySend({ model: modelId, mode: 'reference', prompt: 'ignored', durationSec: model.durations.kind === 'list' ? model.durations.values[0]! : model.durations.min, aspectRatio: '16:9' }, plan);
  return { plan, req };
}

/** The planned file of each slot of kind `as`, in slot order, as the URL the adapter sends. */
const planned = (plan: SendPlan, as: 'image' | 'audio') =>
  plan.references.flatMap((r) => r.assets.filter((a) => a.as === as)).sort((a, b) => a.slot! - b.slot!).map((a) => url(a.assetId));

describe('the bible as the providers receive it', () => {
  const fakes: FakeHandle[] = [];
  const start = async <T extends FakeHandle>(f: Promise<T>): Promise<T> => {
    const fake = await f;
    fakes.push(fake);
    return fake;
  };
  let ark: FakeHandle, kling: Awaited<ReturnType<typeof startKlingFake>>, veo: FakeHandle, runway: FakeHandle, replicate: FakeHandle;
  beforeAll(async () => {
    [ark, kling, veo, runway, replicate] = await Promise.all([start(startArkFake()), start(startKlingFake()), start(startVeoFake()), start(startRunwayFake()), start(startReplicateFake())]);
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  const media = { media: testMedia(CDN) };

  it('Seedance 2.0 on BytePlus: reference_image items in slot order, the voice as reference_audio, @tags in the text', async () => {
    const adapter = createArkProvider({ apiKey: ark.key, baseUrl: ark.baseUrl }, allowFakes(ark));
    const { plan, req } = planFor(adapter, 'ark:dreamina-seedance-2-0-260128');
    await adapter.submit(req, media);
    const content = (ark.submissions.at(-1)!.body as { content: Array<Record<string, unknown>> }).content;
    expect(content[0]).toEqual({ type: 'text', text: '@image1 Lamp (prop). @image4 Noir (style). @audio1 Mara voice (voice).\n@image2 at the @image3' });
    expect(content.filter((c) => c.role === 'reference_image').map((c) => (c.image_url as { url: string }).url)).toEqual(planned(plan, 'image'));
    expect(planned(plan, 'image')).toEqual([url('lamp-still'), url('mara-still'), url('harbour-still'), url('noir-still')]);
    expect(content.filter((c) => c.role === 'reference_audio').map((c) => (c.audio_url as { url: string }).url)).toEqual([url('voice-audio')]);
  });

  it('Seedance 2.0 on Replicate: reference_images and reference_audios in slot order, the same tagged prompt', async () => {
    const adapter = createReplicateProvider({ apiToken: replicate.key, baseUrl: replicate.baseUrl, webhookSecret: 'whsec_dGVzdA==' }, allowFakes(replicate));
    const { plan, req } = planFor(adapter, 'replicate:bytedance/seedance-2.0');
    await adapter.submit(req, media);
    const input = (replicate.submissions.at(-1)!.body as { input: Record<string, unknown> }).input;
    expect(input.reference_images).toEqual(planned(plan, 'image'));
    expect(input.reference_audios).toEqual([url('voice-audio')]);
    expect(input.prompt).toBe(plan.prompt);
    expect(String(input.prompt)).toMatch(/@image2 at the @image3$/);
  });

  it('Kling 2.6: image_list holds the 4 images by position; the voice is not sent, the prompt names them plainly', async () => {
    const adapter = createKlingProvider({ accessKey: kling.accessKey, secretKey: kling.secretKey, baseUrl: kling.baseUrl }, allowFakes(kling));
    const { plan, req } = planFor(adapter, 'kling:kling-v2-6');
    await adapter.submit(req, media);
    const sub = kling.submissions.at(-1)!;
    expect(sub.path).toMatch(/multi-image2video$/);
    const body = sub.body as { image_list: { image: string }[]; prompt: string };
    expect(body.image_list.map((i) => i.image)).toEqual(planned(plan, 'image'));
    expect(body.image_list).toHaveLength(4);
    expect(body.prompt).toBe('Mara at the Harbour');
    expect(JSON.stringify(body)).not.toContain('voice-audio');
    expect(plan.left.map((l) => l.what)).toEqual(["'Mara voice' (bible) audio"]);
  });

  it('Veo 3.1: three asset reference images, nothing more', async () => {
    const adapter = createVeoProvider({ apiKey: veo.key, baseUrl: veo.baseUrl }, allowFakes(veo));
    const { plan, req } = planFor(adapter, 'veo:veo-3.1-generate-preview');
    await adapter.submit(req, media);
    const instance = (veo.submissions.at(-1)!.body as { instances: Array<{ referenceImages: unknown[]; prompt: string }> }).instances[0]!;
    expect(instance.referenceImages).toHaveLength(3);
    expect(planned(plan, 'image')).toEqual([url('lamp-still'), url('mara-still'), url('harbour-still')]);
    expect(plan.left).toEqual([{ what: "'Noir' (bible)", why: 'Veo 3.1 (Gemini) takes at most 3 reference images' }, { what: "'Mara voice' (bible) audio", why: 'Veo 3.1 (Gemini) takes no reference audio' }]);
    expect(instance.prompt).toBe('Mara at the Harbour');
  });

  it('Seedance 2 on Runway: references[] in slot order with @tags, no audio on that route', async () => {
    const adapter = createRunwayProvider({ apiSecret: runway.key, baseUrl: runway.baseUrl }, allowFakes(runway));
    const { plan, req } = planFor(adapter, 'runway:seedance2');
    await adapter.submit(req, media);
    const body = runway.submissions.at(-1)!.body as { references: { uri: string }[]; promptText: string };
    expect(body.references.map((r) => r.uri)).toEqual(planned(plan, 'image'));
    expect(body.promptText).toBe('@image1 Lamp (prop). @image4 Noir (style).\n@image2 at the @image3');
    expect(JSON.stringify(body)).not.toContain('voice-audio');
  });
});
