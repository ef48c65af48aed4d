/**
 * A fake Replicate API (docs/providers.md "Replicate"), including Standard Webhooks signing of the
 * prediction body with its own `whsec_` secret (served at `/v1/webhooks/default/secret`).
 */
import { Hono } from 'hono';
import { createHmac, randomBytes } from 'node:crypto';
import { checkCredential, FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle, type FakeJob, type Phase } from './core.js';

export interface ReplicateFake extends FakeHandle {
  webhookSecret: string;
  /** The prediction's current body as a signed webhook Request (as Replicate would POST it). */
  signedWebhook(id: string, opts?: { timestampSec?: number; secret?: string; tamper?: boolean; id?: string }): Request;
}

export async function startReplicateFake(key = 'r8_test_token_abcdef'): Promise<ReplicateFake> {
  const state = new FakeState('pred');
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const app = new Hono();
  let origin = '';
  const view = (job: FakeJob, phase: Phase) => prediction(job, phase, origin, state.outputUrl(job, `${origin}/files/${job.id}.mp4`));
  app.use('*', state.hangMiddleware());
  app.get('/files/:name', () => videoResponse());
  app.use('/v1/*', async (c, next) => {
    if (checkCredential(state, c.req.header('authorization'), 'Bearer', key)) return next();
    const detail = `You did not pass a valid authentication token (got ${c.req.header('authorization') ?? 'nothing'})`;
    return c.json({ title: 'Unauthenticated', detail, status: 401 }, 401);
  });

  app.get('/v1/webhooks/default/secret', (c) => c.json({ key: webhookSecret }));

  app.post('/v1/models/:owner/:name/predictions', async (c) => {
    const gate = state.gate();
    if (gate === 'rate_limit') return c.json({ detail: 'Request was throttled. Your rate limit resets in ~30s.', status: 429 }, 429);
    if (gate === 'server_error') return c.json({ detail: 'Internal server error', status: 500 }, 500);
    if (gate === 'garbage') return garbageResponse();
    const body = (await c.req.json()) as { input?: Record<string, unknown>; webhook?: string };
    if (!body.input || typeof body.input.prompt !== 'string') {
      return c.json({ title: 'Input validation failed', detail: '- input: prompt is required', status: 422 }, 422);
    }
    const job = state.create(c.req.path, body, c.req.raw.headers, body.webhook);
    return c.json(view(job, 'queued'), 201);
  });

  app.get('/v1/predictions/:id', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job) return c.json({ title: 'Not found', detail: 'Not found.', status: 404 }, 404);
    return c.json(view(job, state.advance(job)));
  });

  app.post('/v1/predictions/:id/cancel', (c) => {
    const job = state.jobs.get(c.req.param('id'));
    if (!job) return c.json({ title: 'Not found', detail: 'Not found.', status: 404 }, 404);
    const phase = state.peek(job);
    if (phase === 'queued' || phase === 'running') job.canceled = true;
    return c.json(view(job, state.peek(job)));
  });

  const server = await listen(app, state);
  origin = server.origin;
  const base = handle(state, server, { baseUrl: `${origin}/v1`, key });
  return {
    ...base,
    webhookSecret,
    signedWebhook(id, opts = {}) {
      const job = state.jobs.get(id);
      if (!job) throw new Error(`no prediction ${id}`);
      const body = JSON.stringify(view(job, state.peek(job)));
      const msgId = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
      const ts = String(opts.timestampSec ?? Math.floor(Date.now() / 1000));
      const secret = Buffer.from((opts.secret ?? webhookSecret).slice('whsec_'.length), 'base64');
      const sig = createHmac('sha256', secret).update(`${msgId}.${ts}.${body}`).digest('base64');
      const other = createHmac('sha256', randomBytes(16)).update('x').digest('base64');
      return new Request(job.webhookUrl ?? 'http://127.0.0.1/hooks/replicate', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': msgId,
          'webhook-timestamp': ts,
          // Several signatures, as during secret rotation: one of them must match.
          'webhook-signature': `v1,${other} v1,${sig}`,
        },
        body: opts.tamper ? body.replace('"status"', '"status" ') : body,
      });
    },
  };
}

function prediction(job: FakeJob, phase: Phase, origin: string, videoUrl: string) {
  const status = {
    queued: 'starting',
    running: 'processing',
    succeed: 'succeeded',
    failure: 'failed',
    safety: 'failed',
    canceled: 'canceled',
  }[phase];
  const error =
    phase === 'failure'
      ? 'CUDA error: out of memory while decoding frames'
      : phase === 'safety'
        ? 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)'
        : null;
  return {
    id: job.id,
    model: 'bytedance/seedance-2.0',
    version: 'hidden',
    status,
    input: (job.input as { input: unknown }).input,
    output: phase === 'succeed' ? videoUrl : null,
    error,
    logs: '',
    metrics: phase === 'succeed' ? { predict_time: 61.2 } : {},
    created_at: '2026-08-01T10:00:00.000Z',
    started_at: phase === 'queued' ? null : '2026-08-01T10:00:05.000Z',
    completed_at: ['succeed', 'failure', 'safety', 'canceled'].includes(phase) ? '2026-08-01T10:01:06.000Z' : null,
    urls: { get: `${origin}/v1/predictions/${job.id}`, cancel: `${origin}/v1/predictions/${job.id}/cancel` },
  };
}
