/** Replicate specifics: Standard Webhooks signatures (valid, invalid, old) and webhook submission. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import { createReplicateProvider } from '../../server/generation/providers/replicate.js';
import { verifyStandardWebhook } from '../../server/generation/providers/standard-webhooks.js';
import { allowFakes } from './fakes/core.js';
import { startReplicateFake, type ReplicateFake } from './fakes/replicate.js';
import { pollToEnd, testMedia } from './helpers.js';

const request: VideoJobRequest = {
  model: 'replicate:bytedance/seedance-2.0',
  mode: 'reference',
  prompt: 'The same courier, now at night',
  referenceImages: [{ media: { assetId: 'char-1' }, role: 'character' }],
  referenceVideos: [{ assetId: 'tail-1', url: 'https://cdn.example/tail-1.mp4' }],
  durationSec: 6,
  aspectRatio: '9:16',
  generateAudio: false,
};

describe('Standard Webhooks verification', () => {
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: '1614265330',
    body: '{"test": 2432232314}',
    nowMs: 1614265330_000,
  };

  it('accepts the published test vector, among several signatures', () => {
    const signature = 'v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    expect(verifyStandardWebhook({ ...vector, signature })).toEqual({ ok: true });
  });

  it('rejects a changed body, a wrong secret, an old timestamp and missing headers', () => {
    const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    expect(verifyStandardWebhook({ ...vector, signature, body: '{"test": 1}' }).ok).toBe(false);
    expect(verifyStandardWebhook({ ...vector, signature, secret: 'whsec_bm90IHRoZSBzZWNyZXQ=' }).ok).toBe(false);
    expect(verifyStandardWebhook({ ...vector, signature, nowMs: vector.nowMs + 10 * 60_000 })).toEqual({
      ok: false,
      reason: 'webhook timestamp too old or too new',
    });
    expect(verifyStandardWebhook({ ...vector, signature: null }).ok).toBe(false);
    expect(verifyStandardWebhook({ ...vector, signature: 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }).ok).toBe(false);
  });
});

describe('replicate adapter', () => {
  let fake: ReplicateFake;
  beforeAll(async () => {
    fake = await startReplicateFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const adapter = (webhookSecret?: string, now?: () => number) =>
    createReplicateProvider(
      { apiToken: fake.key, baseUrl: fake.baseUrl, ...(webhookSecret ? { webhookSecret } : {}) },
      { ...allowFakes(fake), ...(now ? { now } : {}) },
    );

  it('sends references, the tail as a reference video and the webhook with its filter', async () => {
    const a = adapter();
    await a.submit(request, { media: testMedia('https://assets.example'), webhookUrl: 'https://board.example/hooks/replicate/job-1' });
    const body = fake.submissions[0]?.body as { input: Record<string, unknown>; webhook: string; webhook_events_filter: string[] };
    expect(fake.submissions[0]?.path).toBe('/v1/models/bytedance/seedance-2.0/predictions');
    expect(body.input).toMatchObject({
      prompt: request.prompt,
      reference_images: ['https://assets.example/char-1.png'],
      reference_videos: ['https://cdn.example/tail-1.mp4'],
      duration: 6,
      aspect_ratio: '9:16',
      generate_audio: false,
    });
    expect(body.input).not.toHaveProperty('image');
    expect(body.webhook).toBe('https://board.example/hooks/replicate/job-1');
    expect(body.webhook_events_filter).toEqual(['start', 'completed']);
  });

  it('verifies a signed webhook, fetching the signing secret once', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(request, { media: testMedia() });
    await pollToEnd(a, providerJobId);
    const first = await a.parseWebhook!(fake.signedWebhook(providerJobId));
    expect(first).toMatchObject({ ok: true, event: { requestId: providerJobId, verified: true, status: { state: 'succeeded' } } });
    await a.parseWebhook!(fake.signedWebhook(providerJobId));
    expect(fake.state.log.filter((l) => l.includes('/webhooks/default/secret'))).toHaveLength(1);
  });

  it('uses a configured secret without asking the API', async () => {
    const a = adapter(fake.webhookSecret);
    const { providerJobId } = await a.submit(request, { media: testMedia() });
    expect((await a.parseWebhook!(fake.signedWebhook(providerJobId))).ok).toBe(true);
    expect(fake.state.log.some((l) => l.includes('/webhooks/default/secret'))).toBe(false);
  });

  it('rejects a tampered body, a foreign secret and an old timestamp', async () => {
    const a = adapter(fake.webhookSecret);
    const { providerJobId } = await a.submit(request, { media: testMedia() });
    const tampered = await a.parseWebhook!(fake.signedWebhook(providerJobId, { tamper: true }));
    expect(tampered).toEqual({ ok: false, reason: 'webhook signature does not match' });
    const foreign = await a.parseWebhook!(fake.signedWebhook(providerJobId, { secret: 'whsec_c29tZW9uZSBlbHNl' }));
    expect(foreign.ok).toBe(false);
    const old = Math.floor(Date.now() / 1000) - 3600;
    const stale = await a.parseWebhook!(fake.signedWebhook(providerJobId, { timestampSec: old }));
    expect(stale).toEqual({ ok: false, reason: 'webhook timestamp too old or too new' });
  });

  it('judges the timestamp by the injected clock', async () => {
    const ts = 1_900_000_000;
    const a = adapter(fake.webhookSecret, () => ts * 1000 + 30_000);
    const { providerJobId } = await a.submit(request, { media: testMedia() });
    expect((await a.parseWebhook!(fake.signedWebhook(providerJobId, { timestampSec: ts }))).ok).toBe(true);
  });

  it('reads the throttle body "resets in ~30s" as a 30 s wait', async () => {
    fake.script({ rateLimitFirst: 1 });
    await expect(adapter().submit(request, { media: testMedia() })).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      providerMessage: 'Request was throttled. Your rate limit resets in ~30s.',
    });
  });
});
