/** Kling specifics: the self-built JWT (checked by the fake), raw base64 images, routes and business codes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJobRequest } from '../../shared/generation/types.js';
import { applySend, planSend } from '../../shared/generation/send-plan.js';
import { klingTokenSource, signKlingJwt } from '../../server/generation/providers/kling-jwt.js';
import { createKlingProvider } from '../../server/generation/providers/kling.js';
import { allowFakes } from './fakes/core.js';
import { jwtProblem, startKlingFake, type KlingFake } from './fakes/kling.js';
import { PNG_BASE64, pollToEnd, providerError, testMedia } from './helpers.js';

const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('Kling JWT', () => {
  const now = 1_800_000_000_000;

  it('is HS256 with iss, exp = now + 1800 and nbf = now - 5', () => {
    const [h, p] = signKlingJwt('ak', 'sk-secret', now).split('.');
    expect(decode(h)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(p)).toEqual({ iss: 'ak', exp: now / 1000 + 1800, nbf: now / 1000 - 5 });
  });

  it('is accepted by the fake while valid and refused when expired, early or signed with another secret', () => {
    const token = `Bearer ${signKlingJwt('ak', 'sk-secret', now)}`;
    expect(jwtProblem(token, 'ak', 'sk-secret', now / 1000).payload).toBeDefined();
    expect(jwtProblem(token, 'ak', 'sk-secret', now / 1000 + 1800)).toMatchObject({ code: 1004 });
    expect(jwtProblem(token, 'ak', 'sk-secret', now / 1000 - 60)).toMatchObject({ code: 1003 });
    expect(jwtProblem(token, 'ak', 'other', now / 1000)).toMatchObject({ code: 1002 });
    expect(jwtProblem(token, 'someone-else', 'sk-secret', now / 1000)).toMatchObject({ code: 1002 });
  });

  it('is reused until five minutes before expiry, then re-signed', () => {
    let t = now;
    const source = klingTokenSource('ak', 'sk', () => t);
    const first = source.current();
    t += 20 * 60_000;
    expect(source.current()).toBe(first);
    t += 6 * 60_000;
    expect(source.current()).not.toBe(first);
  });
});

describe('kling adapter', () => {
  let fake: KlingFake;
  beforeAll(async () => {
    fake = await startKlingFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.tokens.length = 0;
  });
  const adapter = () => createKlingProvider({ accessKey: fake.accessKey, secretKey: fake.secretKey, baseUrl: fake.baseUrl }, allowFakes(fake));
  const image: VideoJobRequest = {
    model: 'kling:kling-v2-6',
    mode: 'image',
    prompt: 'Door creaks open',
    firstFrame: { assetId: 'f1' },
    lastFrame: { assetId: 'f2' },
    durationSec: 10,
    aspectRatio: '16:9',
    resolution: '1080p',
  };

  it('signs every call with a token the fake verifies, naming the access key', async () => {
    const a = adapter();
    const { providerJobId } = await a.submit(image, { media: testMedia() });
    await pollToEnd(a, providerJobId);
    expect(fake.tokens.length).toBeGreaterThan(1);
    for (const t of fake.tokens) {
      expect(t.iss).toBe(fake.accessKey);
      expect(t.exp - t.nbf).toBe(1805);
    }
  });

  it('sends images as raw base64 without a data: prefix, or as URLs when public, with pro mode for 1080p', async () => {
    await adapter().submit(image, { media: testMedia() });
    expect(fake.submissions[0]).toMatchObject({
      path: '/v1/videos/image2video',
      body: { model_name: 'kling-v2-6', image: PNG_BASE64, image_tail: PNG_BASE64, duration: '10', mode: 'pro' },
    });
    fake.reset();
    await adapter().submit(image, { media: testMedia('https://assets.example') });
    expect(fake.submissions[0]?.body).toMatchObject({ image: 'https://assets.example/f1.png' });
  });

  it('routes text and reference modes and polls on the same route', async () => {
    const a = adapter();
    const text = await a.submit({ ...image, mode: 'text', firstFrame: undefined, lastFrame: undefined, aspectRatio: '9:16' }, { media: testMedia() });
    expect(text.providerJobId).toBe(`text2video/${text.requestId}`);
    expect(fake.submissions[0]?.body).toMatchObject({ aspect_ratio: '9:16' });
    const refs = [1, 2].map((i) => ({ media: { assetId: `r${i}` } }));
    const multi = await a.submit(
      { ...image, mode: 'reference', firstFrame: undefined, lastFrame: undefined, referenceImages: refs },
      { media: testMedia() },
    );
    expect(multi.providerJobId.startsWith('multi-image2video/')).toBe(true);
    expect(fake.submissions[1]?.body).toMatchObject({ image_list: [{ image: PNG_BASE64 }, { image: PNG_BASE64 }] });
    // The clip's reported length ("5") is what the per-clip charge is priced on.
    expect((await pollToEnd(a, multi.providerJobId)).final).toMatchObject({ state: 'succeeded', usage: { outputSeconds: 5 } });
    expect(fake.state.log).toContain(`GET /v1/videos/multi-image2video/${multi.requestId}`);
  });

  it('continues a chained shot on Kling 3.0 Omni natively: the tail as its one reference video, named in the prompt, sound off', async () => {
    const a = adapter();
    const model = a.models().find((m) => m.id === 'kling:kling-v3-omni')!;
    // The request as the queue builds it for a chained text shot (the same planSend the server uses).
    const plan = planSend({ shot: { mode: 'text', refs: {}, durationSec: 5, prompt: 'He turns to the window' }, references: [], model, assetKind: () => 'video', tail: { assetId: 'tail', frameAssetId: 'tail-frame', seconds: 3 } });
    expect(plan.tail?.as).toBe('reference_video');
    // The prompt as the shot detail shows it is the prompt sent: the tail named first.
    expect(plan.prompt).toBe('Continue the action of <<<video_1>>> from its last frame. He turns to the window');
    const req = applySend({ model: model.id, mode: 'text', prompt: 'He turns to the window', durationSec: 5, aspectRatio: '16:9' }, plan);
    expect(req.generateAudio).toBe(false);
    const { providerJobId } = await a.submit(req, { media: testMedia('https://assets.example') });
    expect(providerJobId.startsWith('omni-video/')).toBe(true);
    expect(fake.submissions[0]).toMatchObject({ path: '/v1/videos/omni-video' });
    expect(fake.submissions[0]?.body).toEqual({
      model_name: 'kling-v3-omni',
      prompt: 'Continue the action of <<<video_1>>> from its last frame. He turns to the window',
      mode: 'std',
      duration: '5',
      aspect_ratio: '16:9',
      video_list: [{ video_url: 'https://assets.example/tail.png', refer_type: 'feature', keep_original_sound: 'no' }],
      sound: 'off',
    });
    expect((await pollToEnd(a, providerJobId)).final).toMatchObject({ state: 'succeeded' });
    expect(fake.state.log).toContain(`GET /v1/videos/omni-video/${providerJobId.split('/')[1]}`);
  });

  it('sends Omni frames and references in image_list, with sound on when asked and no video', async () => {
    await adapter().submit({ ...image, model: 'kling:kling-v3-omni', durationSec: 5, generateAudio: true, lastFrame: undefined }, { media: testMedia() });
    expect(fake.submissions[0]?.body).toMatchObject({ image_list: [{ image_url: PNG_BASE64, type: 'first_frame' }], sound: 'on', mode: 'pro' });
    expect(fake.submissions[0]?.body).not.toHaveProperty('video_list');
  });

  it('treats a non-zero business code as an error even on HTTP 200', async () => {
    const body = { code: 1303, message: 'Parallel task over resource pack limit', request_id: 'x' };
    const fetch = async () => new Response(JSON.stringify(body), { status: 200 });
    const a = createKlingProvider({ accessKey: 'ak-1', secretKey: 'sk-1', baseUrl: 'http://kling.invalid' }, { fetch, ...allowFakes('kling.invalid') });
    const err = await providerError(a.submit(image, { media: testMedia() }));
    expect(err).toMatchObject({ kind: 'rate_limited', code: '1303', providerMessage: 'Parallel task over resource pack limit' });
  });

  it('maps balance codes to auth and parses callbacks', async () => {
    const fetch = async () => new Response(JSON.stringify({ code: 1102, message: 'Account balance not enough' }), { status: 429 });
    const a = createKlingProvider({ accessKey: 'ak-1', secretKey: 'sk-1', baseUrl: 'http://kling.invalid' }, { fetch, ...allowFakes('kling.invalid') });
    expect((await providerError(a.submit(image, { media: testMedia() }))).kind).toBe('auth');
    const callback = { task_id: 't9', task_status: 'failed', task_status_msg: 'Failure to pass the risk control system' };
    const parsed = await a.parseWebhook!(new Request('http://x', { method: 'POST', body: JSON.stringify(callback) }));
    expect(parsed).toMatchObject({ ok: true, event: { requestId: 't9', verified: false, status: { state: 'failed', permanent: true, safety: true } } });
  });
});
