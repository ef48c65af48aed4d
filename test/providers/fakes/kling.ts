/**
 * A fake official Kling API (docs/providers.md "Kling (official API)"). It verifies the HS256 JWT itself (signature with the
 * secret key, iss = access key, nbf/exp) and answers `{code, message, request_id, data}` like Kling.
 */
import { Hono } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle, type FakeJob, type Phase } from './core.js';

const KINDS = new Set(['image2video', 'text2video', 'multi-image2video', 'omni-video']);
const MODELS = new Set(['kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3']);
/** Models of Omni's own endpoint (and only there). */
const OMNI_MODELS = new Set(['kling-v3-omni']);

export interface KlingFake extends FakeHandle {
  accessKey: string;
  secretKey: string;
  /** Decoded payloads of every token the fake accepted. */
  tokens: { iss: string; exp: number; nbf: number }[];
}

const answer = (code: number, message: string, data?: unknown) => ({ code, message, request_id: `rq-${Date.now()}`, ...(data ? { data } : {}) });

/** Why a bearer token is not acceptable, or undefined when it is. */
export function jwtProblem(
  header: string | undefined,
  accessKey: string,
  secretKey: string,
  nowSec: number,
): { payload: { iss: string; exp: number; nbf: number } } | { payload?: undefined; code: number; message: string } {
  if (!header?.startsWith('Bearer ')) return { code: 1001, message: 'Authorization is empty' };
  const token = header.slice(7);
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return { code: 1002, message: `Authorization is invalid: ${token}` };
  const head = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  const expected = createHmac('sha256', secretKey).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (head.alg !== 'HS256' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { code: 1002, message: `Authorization is invalid: bad signature on ${token}` };
  }
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss: string; exp: number; nbf: number };
  if (payload.iss !== accessKey) return { code: 1002, message: `Unknown access key ${payload.iss}` };
  if (payload.nbf > nowSec) return { code: 1003, message: 'Authorization is not yet valid' };
  if (payload.exp <= nowSec) return { code: 1004, message: 'Authorization has expired' };
  return { payload };
}

export async function startKlingFake(accessKey = 'ak-kling-test-1111', secretKey = 'sk-kling-test-2222'): Promise<KlingFake> {
  const state = new FakeState('');
  const tokens: KlingFake['tokens'] = [];
  const app = new Hono();
  let origin = '';
  app.use('*', state.hangMiddleware());
  app.get('/files/:name', () => videoResponse());
  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization');
    if (header) state.credentials.add(header.replace(/^Bearer /, ''));
    const check = jwtProblem(header, accessKey, secretKey, Math.floor(Date.now() / 1000));
    if (!check.payload) return c.json(answer(check.code, check.message), 401);
    tokens.push(check.payload);
    return next();
  });

  app.post('/v1/videos/:kind', async (c) => {
    if (!KINDS.has(c.req.param('kind'))) return c.json(answer(1203, 'Requested resource does not exist'), 404);
    const gate = state.gate();
    if (gate === 'rate_limit') return c.json(answer(1302, 'The API request is too fast, please slow down the request frequency.'), 429);
    if (gate === 'server_error') return c.json(answer(5000, 'Server internal error'), 500);
    if (gate === 'garbage') return garbageResponse();
    const body = (await c.req.json()) as Record<string, unknown>;
    const omni = c.req.param('kind') === 'omni-video';
    if (!(omni ? OMNI_MODELS : MODELS).has(String(body.model_name))) return c.json(answer(1201, `model_name ${String(body.model_name)} is invalid`), 400);
    const omniProblem = omni ? omniRequestProblem(body) : undefined;
    if (omniProblem) return c.json(answer(1201, omniProblem), 400);
    if (body.duration !== '5' && body.duration !== '10') return c.json(answer(1201, 'duration must be "5" or "10"'), 400);
    if (typeof body.image === 'string' && body.image.startsWith('data:')) {
      return c.json(answer(1201, 'image must be a URL or raw base64 without a data: prefix'), 400);
    }
    if (state.script.failWith === 'safety') {
      return c.json(answer(1301, 'Trigger the content security policy of the platform: the prompt was refused.'), 400);
    }
    const job = state.create(c.req.path, body, c.req.raw.headers, body.callback_url as string | undefined);
    return c.json(answer(0, 'SUCCEED', task(job, 'queued', '')));
  });

  app.get('/v1/videos/:kind/:id', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job || !job.path.endsWith(`/${c.req.param('kind')}`)) return c.json(answer(1203, 'Task does not exist'), 404);
    return c.json(answer(0, 'SUCCEED', task(job, state.advance(job), state.outputUrl(job, `${origin}/files/${job.id}.mp4`))));
  });

  const server = await listen(app, state);
  origin = server.origin;
  return { ...handle(state, server, { baseUrl: origin, key: secretKey }), accessKey, secretKey, tokens };
}

/**
 * Omni's rules as third-party pages give them: at most one video in `video_list`, each with a URL
 * (https or a data: URL of a video) and `refer_type` feature or base; no sound beside a video; the
 * prompt names each video as `<<<video_N>>>`; images in `image_list` as `{image_url, type?}`.
 */
function omniRequestProblem(body: Record<string, unknown>): string | undefined {
  const videos = body.video_list;
  const images = body.image_list;
  if (images !== undefined && (!Array.isArray(images) || images.some((i) => typeof (i as { image_url?: unknown }).image_url !== 'string'))) return 'image_list items need image_url';
  if (videos === undefined) return undefined;
  if (!Array.isArray(videos) || videos.length > 1) return 'video_list takes at most 1 video';
  const v = videos[0] as { video_url?: unknown; refer_type?: unknown };
  if (typeof v.video_url !== 'string' || !/^(https?:\/\/|data:video\/)/.test(v.video_url)) return 'video_url must be a URL';
  if (v.refer_type !== 'feature' && v.refer_type !== 'base') return 'refer_type must be feature or base';
  if (body.sound === 'on') return 'sound cannot be on when a video is referenced';
  if (!String(body.prompt).includes('<<<video_1>>>')) return 'the prompt must name the video as <<<video_1>>>';
  return undefined;
}

export function task(job: FakeJob, phase: Phase, videoUrl: string) {
  const status = { queued: 'submitted', running: 'processing', succeed: 'succeed', failure: 'failed', safety: 'failed', canceled: 'failed' }[phase];
  const msg = phase === 'failure' ? 'Video generation failed: internal rendering error, please retry.' : '';
  return {
    task_id: job.id,
    task_status: status,
    task_status_msg: msg,
    ...(phase === 'succeed' ? { task_result: { videos: [{ id: `v${job.id}`, url: videoUrl, duration: '5' }] } } : {}),
    created_at: 1760000000000,
    updated_at: 1760000060000,
  };
}
