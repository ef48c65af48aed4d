/** fal specifics: following returned subpath-less URLs, queue position, restart, webhooks, error bodies. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFalProvider } from '../../server/generation/providers/fal.js';
import { falFailure } from '../../server/generation/providers/fal.status.js';
import { startFalFake } from './fakes/fal.js';
import { allowFakes, type FakeHandle } from './fakes/core.js';
import { pollToEnd, providerError, testMedia } from './helpers.js';

const image = {
  model: 'fal:seedance-2.0-fast',
  mode: 'image',
  prompt: 'Slow push-in on the lighthouse',
  firstFrame: { assetId: 'frame-1' },
  durationSec: 5,
  aspectRatio: '16:9',
} as const;

describe('fal adapter', () => {
  let fake: FakeHandle;
  beforeAll(async () => {
    fake = await startFalFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  const adapter = () => createFalProvider({ apiKey: fake.key, baseUrl: fake.baseUrl }, allowFakes(fake));

  it('submits to the full endpoint but polls and fetches without the subpath', async () => {
    const a = adapter();
    const { providerJobId, requestId } = await a.submit(image, { media: testMedia() });
    const { final } = await pollToEnd(a, providerJobId);
    expect(final.state).toBe('succeeded');
    expect(fake.state.log[0]).toBe('POST /bytedance/seedance-2.0/fast/image-to-video');
    expect(fake.state.log).toContain(`GET /bytedance/seedance-2.0/requests/${requestId}/status`);
    expect(fake.state.log).toContain(`GET /bytedance/seedance-2.0/requests/${requestId}`);
    expect(fake.state.log.some((l) => l.includes('/fast/image-to-video/requests'))).toBe(false);
  });

  it('reports the queue position, then progress, and keeps working after a restart', async () => {
    const { providerJobId } = await adapter().submit(image, { media: testMedia() });
    const restarted = adapter();
    expect(await restarted.poll(providerJobId)).toEqual({ state: 'queued', queuePosition: 2 });
    expect(await restarted.poll(providerJobId)).toEqual({ state: 'running' });
    expect(await restarted.poll(providerJobId)).toMatchObject({ state: 'succeeded', seed: 42 });
  });

  it('asks a running request to cancel', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(image, { media: testMedia() });
    await a.poll(providerJobId);
    await a.poll(providerJobId);
    expect(await a.cancel(providerJobId)).toBe('requested');
  });

  it('passes the webhook as fal_webhook and sends the input each endpoint expects', async () => {
    const hook = 'https://board.example/hooks/fal?job=j1';
    await adapter().submit(image, { media: testMedia(), webhookUrl: hook });
    expect(fake.state.log[0]).toBe(`POST /bytedance/seedance-2.0/fast/image-to-video?fal_webhook=${encodeURIComponent(hook)}`);
    expect(fake.submissions[0]?.body).toMatchObject({ image_url: expect.stringMatching(/^data:image\/png;base64,/), duration: '5' });

    fake.reset();
    const refs = [1, 2, 3].map((i) => ({ media: { assetId: `ref-${i}`, url: `https://cdn.example/${i}.png` } }));
    await adapter().submit(
      { model: 'fal:veo3.1-reference', mode: 'reference', prompt: 'Hero walks', referenceImages: refs, durationSec: 8, aspectRatio: '9:16' },
      { media: testMedia() },
    );
    expect(fake.submissions[0]?.path).toBe('/fal-ai/veo3.1/reference-to-video');
    expect(fake.submissions[0]?.body).toMatchObject({ image_urls: refs.map((r) => r.media.url), duration: '8s', aspect_ratio: '9:16' });

    fake.reset();
    await adapter().submit({ model: 'fal:veo3', mode: 'text', prompt: 'Waves', durationSec: 6, aspectRatio: '16:9' }, { media: testMedia() });
    expect(fake.submissions[0]?.path).toBe('/fal-ai/veo3');
  });

  it('refuses status URLs in fal\'s answer that use another scheme or point inside, before connecting', async () => {
    const answers = [
      { status_url: 'file:///etc/passwd', error: /must use https or http like the configured base URL/ },
      { status_url: 'http://169.254.169.254/latest/meta-data/', error: /169\.254\.169\.254 is a cloud metadata address/ },
      { status_url: 'http://[fd00:ec2::254]/latest/', error: /fd00:ec2::254 is a cloud metadata address/ },
    ];
    for (const { status_url, error } of answers) {
      fake.reset();
      fake.script({ intercept: (req) => (req.method === 'POST' ? Response.json({ request_id: 'r-hostile', status_url, response_url: status_url, cancel_url: status_url }) : undefined) });
      const a = adapter();
      const { providerJobId } = await a.submit(image, { media: testMedia() });
      const err = await providerError(a.poll(providerJobId));
      expect(err).toMatchObject({ kind: 'permanent', code: 'egress_refused' });
      expect(err.providerMessage).toMatch(error);
      expect(fake.state.log).toHaveLength(1); // the submission, nothing after it
    }
  });

  it('parses webhook bodies as unverified hints', async () => {
    const post = (body: unknown) => new Request('http://x/hook', { method: 'POST', body: JSON.stringify(body) });
    const a = adapter();
    const ok = await a.parseWebhook!(post({ request_id: 'r1', status: 'OK', payload: { video: { url: 'https://v/1.mp4' }, seed: 9 }, error: null }));
    expect(ok).toEqual({ ok: true, event: { requestId: 'r1', verified: false, status: { state: 'succeeded', videoUrl: 'https://v/1.mp4', seed: 9 } } });
    const refused = await a.parseWebhook!(
      post({ request_id: 'r2', status: 'ERROR', error: 'Invalid status code: 422', payload: { detail: [{ loc: ['body', 'prompt'], msg: 'flagged by the content checker', type: 'content_policy_violation' }] } }),
    );
    expect(refused).toMatchObject({ ok: true, event: { status: { state: 'failed', permanent: true, safety: true } } });
    const unreadable = await a.parseWebhook!(post({ request_id: 'r3', status: 'OK', payload: null, payload_error: 'too large' }));
    expect(unreadable).toMatchObject({ ok: true, event: { status: { state: 'failed', permanent: false } } });
    expect(await a.parseWebhook!(post({ hello: 'world' }))).toEqual({ ok: false, reason: 'not a fal webhook body' });
  });

  it('reads validation detail lists and error-type headers', () => {
    const map = falFailure(() => 0);
    const detail = [{ loc: ['body', 'image_url'], msg: 'field required', type: 'missing' }];
    expect(map({ status: 422, headers: new Headers(), body: { detail }, text: '' })).toEqual({
      kind: 'permanent',
      message: 'image_url: field required',
      code: 'missing',
    });
    const headers = new Headers({ 'x-fal-error-type': 'content_policy_violation' });
    expect(map({ status: 422, headers, body: { detail: 'Refused' }, text: '' }).kind).toBe('safety');
    expect(map({ status: 429, headers: new Headers({ 'retry-after': '3' }), body: null, text: '' })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 3000,
    });
  });
});
