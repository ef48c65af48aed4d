/** A fake BytePlus ModelArk following docs/providers.md "BytePlus ModelArk" (errors `{"error":{code,message,type}}`). */
import { Hono } from 'hono';
import { checkCredential, FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle, type FakeJob } from './core.js';

const MODELS = new Set([
  'seedance-1-0-pro-250528',
  'seedance-1-0-pro-fast-251015',
  'seedance-1-0-lite-t2v-250428',
  'seedance-1-0-lite-i2v-250428',
  'seedance-1-5-pro-251215',
  'dreamina-seedance-2-0-260128',
  'dreamina-seedance-2-0-fast-260128',
  'dreamina-seedance-2-0-mini-260128',
]);

const err = (code: string, message: string, type = 'BadRequest') => ({ error: { code, message, type, param: '' } });

export async function startArkFake(key = 'ark-test-key-1234'): Promise<FakeHandle> {
  const state = new FakeState('cgt-');
  const app = new Hono();
  let origin = '';
  app.use('*', state.hangMiddleware());
  app.get('/files/:name', () => videoResponse());
  app.use('/api/v3/*', async (c, next) => {
    if (checkCredential(state, c.req.header('authorization'), 'Bearer', key)) return next();
    const shown = c.req.header('authorization') ?? '(none)';
    return c.json(err('AuthenticationError', `The API key ${shown} is missing or invalid.`, 'Unauthorized'), 401);
  });

  app.post('/api/v3/contents/generations/tasks', async (c) => {
    const gate = state.gate();
    if (gate === 'rate_limit') return c.json(err('RateLimitExceeded', 'Request rate limit exceeded, please try again later.', 'TooManyRequests'), 429);
    if (gate === 'server_error') return c.json(err('InternalServiceError', 'The service encountered an unexpected internal error.', 'InternalError'), 500);
    if (gate === 'garbage') return garbageResponse();
    const body = (await c.req.json()) as { model?: string; content?: unknown[]; callback_url?: string };
    if (!body.model || !MODELS.has(body.model)) {
      return c.json(err('InvalidEndpointOrModel.NotFound', `The model ${body.model} does not exist or you do not have access to it.`, 'NotFound'), 404);
    }
    if (!Array.isArray(body.content) || body.content.length === 0) {
      return c.json(err('MissingParameter', 'The request failed because it is missing one or multiple required parameters: content.'), 400);
    }
    const contentProblem = seedanceContentProblem(body.model, body.content);
    if (contentProblem) return c.json(err('InvalidParameter', contentProblem), 400);
    if (state.script.failWith === 'safety') {
      return c.json(err('InputTextSensitiveContentDetected', 'The request failed because the input text may contain sensitive information.'), 400);
    }
    const job = state.create(c.req.path, body, c.req.raw.headers, body.callback_url);
    return c.json({ id: job.id });
  });

  app.get('/api/v3/contents/generations/tasks/:id', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job) return c.json(err('ResourceNotFound', 'The specified task was not found.', 'NotFound'), 404);
    return c.json(task(job, state.advance(job), state.outputUrl(job, `${origin}/files/${job.id}.mp4`)));
  });

  app.delete('/api/v3/contents/generations/tasks/:id', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job) return c.json(err('ResourceNotFound', 'The specified task was not found.', 'NotFound'), 404);
    const phase = state.peek(job);
    if (phase === 'running') return c.json(err('InvalidParameter', 'A running task cannot be cancelled.'), 400);
    if (phase === 'queued') job.canceled = true;
    else state.jobs.delete(job.id);
    return c.json({});
  });

  const server = await listen(app, state);
  origin = server.origin;
  return handle(state, server, { baseUrl: `${origin}/api/v3`, key });
}

/**
 * Seedance's content rules (docs/providers.md "BytePlus ModelArk"): a video only as
 * `{type: video_url, video_url: {url}, role: reference_video}`, on 2.0 only, at most 3; first/last
 * frame roles exclude reference roles (images, videos).
 */
function seedanceContentProblem(model: string, content: unknown[]): string | undefined {
  const items = content as { type?: string; role?: string; video_url?: { url?: unknown } }[];
  const videos = items.filter((i) => i.type === 'video_url');
  if (videos.some((v) => v.role !== 'reference_video' || typeof v.video_url?.url !== 'string')) return 'A video_url item needs video_url.url and role reference_video.';
  if (videos.length > 0 && !model.startsWith('dreamina-seedance-2-0')) return `The model ${model} does not accept video input.`;
  if (videos.length > 3) return 'At most 3 reference videos.';
  const frames = items.some((i) => i.role === 'first_frame' || i.role === 'last_frame');
  const refs = items.some((i) => i.role === 'reference_image' || i.role === 'reference_video');
  return frames && refs ? 'first_frame/last_frame cannot be combined with reference_image or reference_video.' : undefined;
}

function task(job: FakeJob, phase: ReturnType<FakeState['advance']>, videoUrl: string) {
  const base = { id: job.id, model: (job.input as { model: string }).model, created_at: 1760000000, updated_at: 1760000100 };
  switch (phase) {
    case 'queued':
    case 'running':
      return { ...base, status: phase, error: null };
    case 'canceled':
      return { ...base, status: 'cancelled', error: null };
    case 'succeed':
      return {
        ...base,
        status: 'succeeded',
        error: null,
        content: { video_url: videoUrl },
        seed: 7,
        resolution: '720p',
        ratio: '16:9',
        duration: 5,
        framespersecond: 24,
        usage: { completion_tokens: 108900, total_tokens: 108900 },
      };
    case 'failure':
      return { ...base, status: 'failed', error: { code: 'InternalServiceError', message: 'Video generation failed: the renderer stopped unexpectedly.' } };
    case 'safety':
      return { ...base, status: 'failed', error: { code: 'OutputVideoSensitiveContentDetected', message: 'The generated video may contain sensitive content.' } };
  }
}
