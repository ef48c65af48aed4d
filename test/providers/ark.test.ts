/** ModelArk specifics: content roles, output refusals, cancel rules, Volcengine names, callbacks. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import { applySend, planSend } from '../../shared/generation/send-plan.js';
import { createArkProvider } from '../../server/generation/providers/ark.js';
import { volcengineModelName } from '../../server/generation/providers/ark.models.js';
import { startArkFake } from './fakes/ark.js';
import { allowFakes, type FakeHandle } from './fakes/core.js';
import { pollToEnd, testMedia } from './helpers.js';

describe('ark adapter', () => {
  let fake: FakeHandle;
  beforeAll(async () => {
    fake = await startArkFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  const adapter = () => createArkProvider({ apiKey: fake.key, baseUrl: fake.baseUrl }, allowFakes(fake));
  const frames: VideoJobRequest = {
    model: 'ark:seedance-1-5-pro-251215',
    mode: 'image',
    prompt: 'She turns to camera',
    firstFrame: { assetId: 'a', url: 'https://cdn.example/a.png' },
    lastFrame: { assetId: 'b' },
    durationSec: 6,
    aspectRatio: '4:3',
    resolution: '720p',
    seed: 99,
    cameraFixed: true,
    generateAudio: true,
  };

  it('sends text, first and last frames with their roles and the callback', async () => {
    await adapter().submit(frames, { media: testMedia(), webhookUrl: 'https://board.example/hooks/ark/j1' });
    expect(fake.submissions[0]?.body).toEqual({
      model: 'seedance-1-5-pro-251215',
      content: [
        { type: 'text', text: 'She turns to camera' },
        { type: 'image_url', image_url: { url: 'https://cdn.example/a.png' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) }, role: 'last_frame' },
      ],
      ratio: '4:3',
      duration: 6,
      watermark: false,
      resolution: '720p',
      seed: 99,
      camera_fixed: true,
      generate_audio: true,
      callback_url: 'https://board.example/hooks/ark/j1',
    });
  });

  it('sends Seedance 2.0 reference images and the chained tail as reference video', async () => {
    await adapter().submit(
      {
        model: 'ark:dreamina-seedance-2-0-260128',
        mode: 'extend',
        prompt: 'Continue',
        referenceImages: [{ media: { assetId: 'c', url: 'https://cdn.example/c.png' } }],
        referenceVideos: [{ assetId: 't', url: 'https://cdn.example/t.mp4' }],
        durationSec: 10,
        aspectRatio: '16:9',
      },
      { media: testMedia() },
    );
    const content = (fake.submissions[0]?.body as { content: unknown[] }).content;
    expect(content.slice(1)).toEqual([
      { type: 'image_url', image_url: { url: 'https://cdn.example/c.png' }, role: 'reference_image' },
      { type: 'video_url', video_url: { url: 'https://cdn.example/t.mp4' }, role: 'reference_video' },
    ]);
  });

  it('continues a chained image shot on Seedance 2.0 Fast natively: the tail as reference_video, the shot’s own frame left out', async () => {
    const a = adapter();
    const model = a.models().find((m) => m.id === 'ark:dreamina-seedance-2-0-fast-260128')!;
    // The request as the queue builds it (the same planSend the server uses) for a chained image shot with its own start frame.
    const plan = planSend({ shot: { mode: 'image', startFrame: 'own', refs: {}, durationSec: 5 }, references: [], model, assetKind: () => 'image', tail: { assetId: 'tail', frameAssetId: 'tail-frame', seconds: 3 } });
    const req = applySend({ model: model.id, mode: 'image', prompt: 'Along the pier', durationSec: 5, aspectRatio: '16:9' }, plan);
    await a.submit(req, { media: testMedia('https://cdn.example') });
    const content = (fake.submissions[0]?.body as { content: unknown[] }).content;
    expect(content).toEqual([{ type: 'text', text: 'Along the pier' }, { type: 'video_url', video_url: { url: 'https://cdn.example/tail.png' }, role: 'reference_video' }]);
    // (The fake refuses what Seedance refuses, such as a first frame beside a reference video.)
    expect(plan.left).toEqual([{ what: 'start frame', why: 'Seedance 2.0 Fast (BytePlus) cannot combine frames with the chained tail sent as a reference video' }]);
  });

  it('sends Seedance 2.0 reference audio (a voice line) as an audio_url item with role reference_audio', async () => {
    await adapter().submit(
      {
        model: 'ark:dreamina-seedance-2-0-260128',
        mode: 'reference',
        prompt: 'She says the line',
        referenceImages: [{ media: { assetId: 'c', url: 'https://cdn.example/c.png' }, role: 'character' }],
        referenceAudios: [{ assetId: 'v', url: 'https://cdn.example/voice.wav' }],
        durationSec: 5,
        aspectRatio: '16:9',
      },
      { media: testMedia() },
    );
    const content = (fake.submissions[0]?.body as { content: unknown[] }).content;
    expect(content.slice(1)).toEqual([
      { type: 'image_url', image_url: { url: 'https://cdn.example/c.png' }, role: 'reference_image' },
      { type: 'audio_url', audio_url: { url: 'https://cdn.example/voice.wav' }, role: 'reference_audio' },
    ]);
  });

  it('reads an output refusal (HTTP 200, error set) as permanent safety', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(frames, { media: testMedia() });
    fake.state.jobs.get(providerJobId)!.outcome = 'safety';
    expect((await pollToEnd(a, providerJobId)).final).toEqual({
      state: 'failed',
      reason: 'The generated video may contain sensitive content.',
      permanent: true,
      safety: true,
      code: 'OutputVideoSensitiveContentDetected',
    });
  });

  it('reports the tokens and seconds the task was billed for, which the charge is priced on', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(frames, { media: testMedia() });
    // The fake answers as a billed 720p 5 s task: 108,900 completion tokens.
    expect((await pollToEnd(a, providerJobId)).final).toMatchObject({ state: 'succeeded', usage: { tokens: 108_900, outputSeconds: 5 } });
  });

  it('does not DELETE a running or finished task (that would delete its result)', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(frames, { media: testMedia() });
    await a.poll(providerJobId);
    await a.poll(providerJobId);
    expect(await a.cancel(providerJobId)).toBe('too_late');
    expect(fake.state.log.some((l) => l.startsWith('DELETE'))).toBe(false);
  });

  it('speaks Volcengine model names on a volces.com base URL', () => {
    expect(volcengineModelName('dreamina-seedance-2-0-260128')).toBe('doubao-seedance-2-0-260128');
    expect(volcengineModelName('seedance-1-0-pro-250528')).toBe('doubao-seedance-1-0-pro-250528');
  });

  it('parses callbacks as unverified hints', async () => {
    const body = { id: 'cgt-1', status: 'succeeded', content: { video_url: 'https://v/1.mp4' }, seed: 3 };
    const parsed = await adapter().parseWebhook!(new Request('http://x', { method: 'POST', body: JSON.stringify(body) }));
    expect(parsed).toEqual({
      ok: true,
      event: { requestId: 'cgt-1', verified: false, status: { state: 'succeeded', videoUrl: 'https://v/1.mp4', seed: 3 } },
    });
    const junk = await adapter().parseWebhook!(new Request('http://x', { method: 'POST', body: 'nope' }));
    expect(junk.ok).toBe(false);
  });
});
