/**
 * A fake fal.ai queue (docs/providers.md "fal.ai"). Status, result and cancel live under `/{owner}/{app}/requests/…`
 * WITHOUT the endpoint's subpath, exactly as fal does: an adapter that builds URLs with the subpath gets 404.
 */
import { Hono, type Context } from 'hono';
import { checkCredential, FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle, type FakeJob, type FakeTls } from './core.js';

export async function startFalFake(key = 'fal-test-key-5678', tls?: FakeTls): Promise<FakeHandle> {
  const state = new FakeState('req-');
  const app = new Hono();
  let origin = '';
  app.use('*', state.hangMiddleware());
  app.get('/files/:name', () => videoResponse());
  app.use('*', async (c, next) => {
    if (checkCredential(state, c.req.header('authorization'), 'Key', key)) return next();
    return c.json({ detail: `Invalid API key: ${c.req.header('authorization') ?? '(none)'}` }, 401);
  });

  const find = (c: Context): FakeJob | undefined => {
    const job = state.jobs.get(c.req.param('id') ?? '');
    const app = `/${c.req.param('owner')}/${c.req.param('app')}`;
    return job && job.path.startsWith(`${app}/`) ? job : job && job.path === app ? job : undefined;
  };

  app.get('/:owner/:app/requests/:id/status', (c) => {
    const job = find(c);
    if (!job) return c.json({ detail: 'Request not found' }, 404);
    const phase = state.advance(job);
    const urls = requestUrls(origin, job);
    if (phase === 'queued') return c.json({ status: 'IN_QUEUE', queue_position: 2, response_url: urls.response_url });
    if (phase === 'running') return c.json({ status: 'IN_PROGRESS', response_url: urls.response_url, logs: [] });
    return c.json({ status: 'COMPLETED', response_url: urls.response_url, logs: [] });
  });

  app.get('/:owner/:app/requests/:id', (c) => {
    const job = find(c);
    if (!job) return c.json({ detail: 'Request not found' }, 404);
    const phase = state.peek(job);
    if (phase === 'queued' || phase === 'running') return c.json({ detail: 'Request is still in progress' }, 400);
    if (phase === 'canceled') return c.json({ detail: 'Request was cancelled by the user' }, 400, { 'X-Fal-Error-Type': 'request_cancelled' });
    if (phase === 'failure') {
      return c.json({ detail: 'Generation failed: the model ran out of memory.', error_type: 'runner_error' }, 500, { 'X-Fal-Error-Type': 'runner_error' });
    }
    if (phase === 'safety') {
      const detail = [{ loc: ['body', 'prompt'], msg: 'The prompt was flagged by the content checker.', type: 'content_policy_violation' }];
      return c.json({ detail }, 422, { 'X-Fal-Error-Type': 'content_policy_violation' });
    }
    const url = state.outputUrl(job, `${origin}/files/${job.id}.mp4`);
    return c.json({ video: { url, content_type: 'video/mp4', file_name: `${job.id}.mp4`, file_size: 30 }, seed: 42 });
  });

  app.put('/:owner/:app/requests/:id/cancel', (c) => {
    const job = find(c);
    if (!job) return c.json({ status: 'NOT_FOUND' }, 404);
    const phase = state.peek(job);
    if (phase === 'queued' || phase === 'running') {
      job.canceled = true;
      return c.json({ status: phase === 'queued' ? 'OK' : 'CANCELLATION_REQUESTED' }, 202);
    }
    return c.json({ status: 'ALREADY_COMPLETED' }, 400);
  });

  // Submissions: `/{owner}/{app}` or `/{owner}/{app}/{subpath…}`.
  app.post('/*', async (c) => {
    const gate = state.gate();
    if (gate === 'rate_limit') return c.json({ detail: 'Too many requests, slow down.' }, 429, { 'Retry-After': '2' });
    if (gate === 'server_error') return c.json({ detail: 'Internal Server Error' }, 500);
    if (gate === 'garbage') return garbageResponse();
    const body = (await c.req.json()) as Record<string, unknown>;
    if (c.req.path.endsWith('image-to-video') && typeof body.image_url !== 'string') {
      return c.json({ detail: [{ loc: ['body', 'image_url'], msg: 'field required', type: 'missing' }] }, 422);
    }
    const job = state.create(c.req.path, body, c.req.raw.headers, c.req.query('fal_webhook'));
    return c.json({ request_id: job.id, ...requestUrls(origin, job) });
  });

  const server = await listen(app, state, tls);
  origin = server.origin;
  return handle(state, server, { baseUrl: origin, key });
}

function requestUrls(origin: string, job: FakeJob) {
  const [, owner, app] = job.path.split('/');
  const root = `${origin}/${owner}/${app}/requests/${job.id}`;
  return { response_url: root, status_url: `${root}/status`, cancel_url: `${root}/cancel` };
}
