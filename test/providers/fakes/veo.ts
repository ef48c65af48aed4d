/**
 * A fake Gemini API for Veo (docs/providers.md "Google Veo (Gemini API)"): long-running operations, `{"error":{code,message,status}}`,
 * and a download that needs the key and then redirects to storage that must NOT receive the key.
 */
import { Hono } from 'hono';
import { checkCredential, FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle, type FakeJob, type Phase } from './core.js';

const MODELS = new Set([
  'veo-3.1-generate-preview',
  'veo-3.1-fast-generate-preview',
  'veo-3.0-generate-001',
  'veo-3.0-fast-generate-001',
  'veo-2.0-generate-001',
]);

const gerr = (code: number, status: string, message: string, details?: unknown[]) => ({
  error: { code, message, status, ...(details ? { details } : {}) },
});

export async function startVeoFake(key = 'AIza-test-gemini-key-0000'): Promise<FakeHandle> {
  const state = new FakeState('op');
  const app = new Hono();
  let origin = '';
  app.use('*', state.hangMiddleware());
  app.get('/storage/:name', (c) =>
    c.req.header('x-goog-api-key') ? c.json({ error: 'credentials sent to storage' }, 400) : videoResponse(),
  );
  app.use('/v1beta/*', async (c, next) => {
    if (checkCredential(state, c.req.header('x-goog-api-key'), '', key)) return next();
    const details = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }];
    const shown = c.req.header('x-goog-api-key') ?? '';
    return c.json(gerr(400, 'INVALID_ARGUMENT', `API key not valid. Please pass a valid API key. (${shown})`, details), 400);
  });

  app.get('/v1beta/files/:file', (c) => c.redirect(`${origin}/storage/${c.req.param('file').split(':')[0]}.mp4`, 302));

  app.post('/v1beta/models/:spec', async (c) => {
    const [model, action] = c.req.param('spec').split(':');
    if (action !== 'predictLongRunning') return c.json(gerr(404, 'NOT_FOUND', 'Method not found.'), 404);
    const gate = state.gate();
    if (gate === 'rate_limit') {
      const details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' }];
      return c.json(gerr(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota. Please retry in 17s.', details), 429);
    }
    if (gate === 'server_error') return c.json(gerr(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'), 503);
    if (gate === 'garbage') return garbageResponse();
    if (!model || !MODELS.has(model)) return c.json(gerr(404, 'NOT_FOUND', `models/${model} is not found.`), 404);
    const body = (await c.req.json()) as { instances?: Record<string, unknown>[]; parameters?: Record<string, unknown> };
    const inst = body.instances?.[0] ?? {};
    const problem = ![4, 5, 6, 7, 8].includes(Number(body.parameters?.durationSeconds))
      ? 'durationSeconds must be 4, 6 or 8.'
      : inst.referenceImages && (inst.image || inst.lastFrame)
        ? 'referenceImages cannot be combined with image or lastFrame.'
        : undefined;
    if (problem) return c.json(gerr(400, 'INVALID_ARGUMENT', problem), 400);
    const job = state.create(c.req.path, body, c.req.raw.headers);
    return c.json({ name: `models/${model}/operations/${job.id}` });
  });

  app.get('/v1beta/models/:model/operations/:op', (c) => {
    const job = state.jobs.get(c.req.param('op'));
    if (!job) return c.json(gerr(404, 'NOT_FOUND', 'Operation not found.'), 404);
    return c.json(operation(job, state.advance(job), state.outputUrl(job, `${origin}/v1beta/files/${job.id}:download?alt=media`), c.req.param('model')));
  });

  const server = await listen(app, state);
  origin = server.origin;
  return handle(state, server, { baseUrl: `${origin}/v1beta`, key });
}

function operation(job: FakeJob, phase: Phase, videoUrl: string, model: string) {
  const name = `models/${model}/operations/${job.id}`;
  switch (phase) {
    case 'queued':
    case 'running':
    case 'canceled':
      return { name, done: false };
    case 'failure':
      return { name, done: true, error: { code: 13, message: 'Video generation failed due to an internal error. Try again.' } };
    case 'safety':
      return {
        name,
        done: true,
        response: {
          '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse',
          generateVideoResponse: {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: ['The prompt could not be submitted: it may violate our Responsible AI practices.'],
          },
        },
      };
    case 'succeed':
      return {
        name,
        done: true,
        response: {
          generateVideoResponse: { generatedSamples: [{ video: { uri: videoUrl } }] },
        },
      };
  }
}
