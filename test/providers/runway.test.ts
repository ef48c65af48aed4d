/** Runway specifics: version header, THROTTLED as queued, progress, pixel ratios, frames and references. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import { createRunwayProvider } from '../../server/generation/providers/runway.js';
import { allowFakes, type FakeHandle } from './fakes/core.js';
import { startRunwayFake } from './fakes/runway.js';
import { testMedia } from './helpers.js';

describe('runway adapter', () => {
  let fake: FakeHandle;
  beforeAll(async () => {
    fake = await startRunwayFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  const adapter = () => createRunwayProvider({ apiSecret: fake.key, baseUrl: fake.baseUrl }, allowFakes(fake));
  const image: VideoJobRequest = {
    model: 'runway:veo3.1_fast',
    mode: 'image',
    prompt: 'Pan left across the harbour',
    firstFrame: { assetId: 'a', url: 'https://cdn.example/a.png' },
    lastFrame: { assetId: 'b', url: 'https://cdn.example/b.png' },
    durationSec: 6,
    aspectRatio: '9:16',
    resolution: '1080p',
    generateAudio: true,
  };

  it('sends the version header, pixel ratio and first/last positions', async () => {
    await adapter().submit(image, { media: testMedia() });
    const sub = fake.submissions[0];
    expect(sub?.headers['x-runway-version']).toBe('2024-11-06');
    expect(sub?.path).toBe('/v1/image_to_video');
    expect(sub?.body).toEqual({
      model: 'veo3.1_fast',
      ratio: '1080:1920',
      duration: 6,
      promptText: image.prompt,
      audio: true,
      promptImage: [
        { uri: 'https://cdn.example/a.png', position: 'first' },
        { uri: 'https://cdn.example/b.png', position: 'last' },
      ],
    });
  });

  it('reports THROTTLED as queued and RUNNING with progress', async () => {
    fake.script({ throttled: true, pollsBeforeDone: 3 });
    const a = adapter();
    const { providerJobId } = await a.submit(image, { media: testMedia() });
    expect(await a.poll(providerJobId)).toEqual({ state: 'queued' });
    expect(await a.poll(providerJobId)).toEqual({ state: 'running', progress: 0.42 });
    expect(a.minPollIntervalMs).toBeGreaterThanOrEqual(5000);
  });

  it('sends seedance2 references and the chained tail through text_to_video', async () => {
    await adapter().submit(
      {
        model: 'runway:seedance2',
        mode: 'extend',
        prompt: 'Continue the chase',
        referenceImages: [{ media: { assetId: 'c', url: 'https://cdn.example/c.png' }, role: 'character' }],
        referenceVideos: [{ assetId: 'tail', url: 'https://cdn.example/tail.mp4' }],
        durationSec: 8,
        aspectRatio: '21:9',
        seed: 11,
      },
      { media: testMedia() },
    );
    expect(fake.submissions[0]).toMatchObject({
      path: '/v1/text_to_video',
      body: {
        model: 'seedance2',
        ratio: '1584:672',
        seed: 11,
        references: [{ uri: 'https://cdn.example/c.png' }],
        referenceVideos: [{ uri: 'https://cdn.example/tail.mp4' }],
      },
    });
  });

  it('maps a safety failure code to a permanent refusal', async () => {
    fake.script({ failWith: 'safety', pollsBeforeDone: 0 });
    const a = adapter();
    const { providerJobId } = await a.submit(image, { media: testMedia() });
    expect(await a.poll(providerJobId)).toEqual({
      state: 'failed',
      reason: 'Your prompt did not pass our content moderation.',
      permanent: true,
      safety: true,
      code: 'SAFETY.INPUT.TEXT',
    });
  });

  it('has no webhooks', () => {
    expect(adapter().parseWebhook).toBeUndefined();
  });
});
