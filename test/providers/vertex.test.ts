/**
 * Veo on Vertex AI against its fake: the service-account token exchange, the native extension of a
 * chained clip (`instances[].video` as inline bytes with its MIME type, 7 s, nothing beside it),
 * polling through fetchPredictOperation, and answers checked (a clip outside our storage prefix,
 * an operation of another project).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import type { MediaAccess } from '../../server/generation/providers/provider.js';
import { createVertexProvider } from '../../server/generation/providers/vertex.js';
import { allowFakes } from './fakes/core.js';
import { startVertexFake, type VertexFake } from './fakes/vertex.js';
import { generateKeyPairSync } from 'node:crypto';
import { expectNoSecrets, PNG_BASE64, pollToEnd, providerError } from './helpers.js';

const CLIP_BASE64 = Buffer.from('fake-tail-clip-bytes').toString('base64');

/** Media where the tail clip is an MP4 and everything else a PNG. */
const media: MediaAccess = {
  toDataUrl: async () => `data:image/png;base64,${PNG_BASE64}`,
  toBase64: async (ref) => (ref.assetId === 'tail' ? { base64: CLIP_BASE64, mimeType: 'video/mp4' } : { base64: PNG_BASE64, mimeType: 'image/png' }),
};

describe('vertex adapter', () => {
  let fake: VertexFake;
  beforeAll(async () => {
    fake = await startVertexFake();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());
  const adapter = (over: { outputGcsUri?: string } = {}) =>
    createVertexProvider(
      {
        serviceAccountJson: fake.serviceAccountJson,
        project: fake.project,
        location: fake.location,
        outputGcsUri: over.outputGcsUri ?? fake.outputGcsUri,
        baseUrl: fake.baseUrl,
        storageBaseUrl: fake.origin,
      },
      allowFakes(fake),
    );
  const extend: VideoJobRequest = {
    model: 'vertex:veo-3.1-generate-001',
    mode: 'extend',
    prompt: 'She keeps walking into the rain',
    extendVideo: { assetId: 'tail' },
    durationSec: 7,
    aspectRatio: '16:9',
    seed: 42,
  };

  it('extends the chained clip natively: the clip inline as video, 7 s, the seed, our storage prefix', async () => {
    const { providerJobId } = await adapter().submit(extend, { media });
    expect(providerJobId).toMatch(/^projects\/tb-project\/locations\/us-central1\/publishers\/google\/models\/veo-3\.1-generate-001\/operations\//);
    expect(fake.submissions[0]?.path).toBe('/v1/projects/tb-project/locations/us-central1/publishers/google/models/veo-3.1-generate-001:predictLongRunning');
    expect(fake.submissions[0]?.headers.authorization).toBe(`Bearer ${fake.key}`);
    expect(fake.submissions[0]?.body).toEqual({
      instances: [{ prompt: extend.prompt, video: { bytesBase64Encoded: CLIP_BASE64, mimeType: 'video/mp4' } }],
      parameters: { aspectRatio: '16:9', durationSeconds: 7, sampleCount: 1, storageUri: fake.outputGcsUri, seed: 42, generateAudio: true },
    });
  });

  it('polls with fetchPredictOperation and downloads the clip from our prefix with the token', async () => {
    const a = adapter();
    const tokensBefore = fake.tokenRequests();
    const { providerJobId } = await a.submit(extend, { media });
    const { final } = await pollToEnd(a, providerJobId);
    if (final.state !== 'succeeded') throw new Error(`expected success, got ${JSON.stringify(final)}`);
    expect(final.videoUrl).toMatch(/^gs:\/\/tb-clips\/takes\/op/);
    const res = await a.download(final.videoUrl);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(fake.videoBytes);
    expect(fake.state.log.filter((l) => l.includes(':fetchPredictOperation')).length).toBeGreaterThan(0);
    expect(fake.tokenRequests() - tokensBefore).toBe(1); // one token for submit, polls and the download
  });

  it('refuses a clip outside the configured prefix, as reported or as asked to download', async () => {
    fake.script({ videoUrl: () => 'gs://someone-elses-bucket/secret.mp4', pollsBeforeDone: 0 });
    const a = adapter();
    const { providerJobId } = await a.submit(extend, { media });
    expect(await a.poll(providerJobId)).toMatchObject({ state: 'failed', permanent: true, code: 'foreign_output' });
    expect((await providerError(a.download('gs://tb-clips/other/x.mp4'))).kind).toBe('permanent');
    expect((await providerError(a.download('https://evil.example/x.mp4'))).kind).toBe('permanent');
  });

  it('checks the extension before any call: no frames beside the clip, 7 s only', async () => {
    const a = adapter();
    const bad = await providerError(a.submit({ ...extend, durationSec: 8 }, { media }));
    expect(bad.providerMessage).toContain('extends a clip by 7 seconds');
    const framed = await providerError(a.submit({ ...extend, firstFrame: { assetId: 'f' } }, { media }));
    expect(framed.providerMessage).toContain('no frames or references go with it');
    expect(fake.submissions).toHaveLength(0);
  });

  it('answers a key the token endpoint refuses as an auth error, with no secret in it; a 429 as rate limited', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = JSON.stringify({ ...JSON.parse(fake.serviceAccountJson), private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
    const wrong = createVertexProvider({ serviceAccountJson: other, project: fake.project, location: fake.location, outputGcsUri: fake.outputGcsUri, baseUrl: fake.baseUrl }, allowFakes(fake));
    const err = await providerError(wrong.submit(extend, { media }));
    expect(err.kind).toBe('auth');
    expect(err.providerMessage).toContain('Invalid JWT Signature');
    expectNoSecrets(err, fake, [fake.key, 'BEGIN PRIVATE KEY']);
    fake.script({ rateLimitFirst: 1 });
    expect((await providerError(adapter().submit(extend, { media }))).kind).toBe('rate_limited');
  });

  it('cannot be built with a key that is not a service-account key', () => {
    expect(() => createVertexProvider({ serviceAccountJson: '{"client_email":"x"}', project: 'p', location: 'l', outputGcsUri: 'gs://b/p/' })).toThrow(/client_email and private_key/);
    expect(() => createVertexProvider({ serviceAccountJson: fake.serviceAccountJson, project: 'p', location: 'l', outputGcsUri: 'https://b/' })).toThrow(/VERTEX_OUTPUT_GCS_URI/);
  });
});
