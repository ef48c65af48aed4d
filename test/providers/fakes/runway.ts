/** A fake Runway API (docs/providers.md "Runway"): requires X-Runway-Version, answers `{error}` bodies. */
import { Hono, type Context } from 'hono';
import { checkCredential, FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle, type FakeJob, type Phase } from './core.js';

const MODELS = new Set(['gen4_turbo', 'gen4.5', 'veo3.1', 'veo3.1_fast', 'seedance2']);

export async function startRunwayFake(key = 'key_runway_test_9876'): Promise<FakeHandle> {
  const state = new FakeState('task-');
  const app = new Hono();
  let origin = '';
  app.use('*', state.hangMiddleware());
  app.get('/files/:name', () => videoResponse());
  app.use('/v1/*', async (c, next) => {
    if (!checkCredential(state, c.req.header('authorization'), 'Bearer', key)) {
      return c.json({ error: `Invalid API key ${c.req.header('authorization') ?? ''}`.trim() }, 401);
    }
    if (c.req.header('x-runway-version') !== '2024-11-06') {
      return c.json({ error: 'The X-Runway-Version header is missing or invalid. Use 2024-11-06.' }, 400);
    }
    return next();
  });

  const submit = (needsImage: boolean) => async (c: Context) => {
    const gate = state.gate();
    if (gate === 'rate_limit') return c.json({ error: 'You have exceeded your daily task limit.' }, 429);
    if (gate === 'server_error') return c.json({ error: 'Bad gateway' }, 502);
    if (gate === 'garbage') return garbageResponse();
    const body = (await c.req.json()) as Record<string, unknown>;
    const issues: string[] = [];
    if (!MODELS.has(String(body.model))) issues.push(`model: invalid enum value ${String(body.model)}`);
    if (typeof body.ratio !== 'string' || !/^\d+:\d+$/.test(body.ratio)) issues.push('ratio: must look like 1280:720');
    if (needsImage && !body.promptImage) issues.push('promptImage: required');
    if (issues.length) return c.json({ error: 'Validation of body failed', issues }, 400);
    const job = state.create(c.req.path, body, c.req.raw.headers);
    return c.json({ id: job.id });
  };
  app.post('/v1/image_to_video', submit(true));
  app.post('/v1/text_to_video', submit(false));

  app.get('/v1/tasks/:id', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job) return c.json({ error: 'Task not found' }, 404);
    return c.json(task(job, state.advance(job), state.outputUrl(job, `${origin}/files/${job.id}.mp4`), state.script.throttled === true));
  });

  app.delete('/v1/tasks/:id', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job) return c.json({ error: 'Task not found' }, 404);
    const phase = state.peek(job);
    if (phase === 'queued' || phase === 'running') job.canceled = true;
    else state.jobs.delete(job.id);
    return c.body(null, 204);
  });

  const server = await listen(app, state);
  origin = server.origin;
  return handle(state, server, { baseUrl: origin, key });
}

function task(job: FakeJob, phase: Phase, videoUrl: string, throttled: boolean) {
  const base = { id: job.id, createdAt: '2026-08-01T10:00:00.000Z' };
  switch (phase) {
    case 'queued':
      return { ...base, status: throttled ? 'THROTTLED' : 'PENDING' };
    case 'running':
      return { ...base, status: 'RUNNING', progress: 0.42 };
    case 'canceled':
      return { ...base, status: 'CANCELLED' };
    case 'succeed':
      return { ...base, status: 'SUCCEEDED', output: [videoUrl] };
    case 'failure':
      return { ...base, status: 'FAILED', failure: 'An unexpected error occurred while rendering.', failureCode: 'INTERNAL.BAD_OUTPUT.CODE01' };
    case 'safety':
      return { ...base, status: 'FAILED', failure: 'Your prompt did not pass our content moderation.', failureCode: 'SAFETY.INPUT.TEXT' };
  }
}
