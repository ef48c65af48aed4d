/** Veo specifics: request shape, operation names, key only on its own origin, safety filter counts. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import { createVeoProvider } from '../../server/generation/providers/veo.js';
import { allowFakes, type FakeHandle } from './fakes/core.js';
import { startRunwayFake } from './fakes/runway.js';
import { startVeoFake } from './fakes/veo.js';
import { PNG_BASE64, pollToEnd, testMedia } from './helpers.js';

describe('veo adapter', () => {
  let fake: FakeHandle;
  let other: FakeHandle;
  beforeAll(async () => {
    fake = await startVeoFake();
    other = await startRunwayFake();
  });
  afterAll(async () => {
    await fake.close();
    await other.close();
  });
  beforeEach(() => {
    fake.reset();
    other.reset();
  });
  const adapter = () => createVeoProvider({ apiKey: fake.key, baseUrl: fake.baseUrl }, allowFakes(fake, other));
  const refs: VideoJobRequest = {
    model: 'veo:veo-3.1-generate-preview',
    mode: 'reference',
    prompt: 'The detective enters the bar',
    negativePrompt: 'text overlays',
    referenceImages: [{ media: { assetId: 'c1' }, role: 'character' }, { media: { assetId: 'l1' }, role: 'location' }],
    durationSec: 8,
    aspectRatio: '16:9',
    resolution: '1080p',
    seed: 5,
  };

  it('sends inline base64 images, asset references and parameters, and no seed', async () => {
    const { providerJobId } = await adapter().submit(refs, { media: testMedia('https://public.example') });
    expect(providerJobId).toMatch(/^models\/veo-3\.1-generate-preview\/operations\//);
    const img = { bytesBase64Encoded: PNG_BASE64, mimeType: 'image/png' };
    expect(fake.submissions[0]?.body).toEqual({
      instances: [{ prompt: refs.prompt, referenceImages: [{ image: img, referenceType: 'asset' }, { image: img, referenceType: 'asset' }] }],
      parameters: { aspectRatio: '16:9', durationSeconds: 8, resolution: '1080p', negativePrompt: 'text overlays' },
    });
  });

  it('downloads with the key from its own origin and follows the storage redirect without it', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(refs, { media: testMedia() });
    const { final } = await pollToEnd(a, providerJobId);
    if (final.state !== 'succeeded') throw new Error('expected success');
    const res = await a.download(final.videoUrl);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(fake.videoBytes);
    expect(fake.state.log.some((l) => l.startsWith('GET /storage/'))).toBe(true);
  });

  it('never sends the key to another origin', async () => {
    const res = await adapter().download(`${other.origin}/files/x.mp4`);
    expect(res.ok).toBe(true);
    expect(other.state.log).toEqual(['GET /files/x.mp4']);
    expect(other.state.credentials.size).toBe(0);
  });

  it('reads filtered samples as a permanent safety refusal with the stated reason', async () => {
    fake.script({ failWith: 'safety', pollsBeforeDone: 0 });
    const a = adapter();
    const { providerJobId } = await a.submit(refs, { media: testMedia() });
    expect(await a.poll(providerJobId)).toMatchObject({
      state: 'failed',
      permanent: true,
      safety: true,
      reason: expect.stringContaining('Responsible AI'),
    });
  });
});
