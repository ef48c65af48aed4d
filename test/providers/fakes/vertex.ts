/**
 * A fake Vertex AI for Veo (docs/providers.md "Veo on Vertex AI"): the OAuth token endpoint (JWT
 * bearer grant, the assertion's RS256 signature checked with the account's public key),
 * predictLongRunning under projects/…/locations/…/publishers/google/models/…, fetchPredictOperation,
 * and Cloud Storage's JSON API serving the clip it "wrote" under the request's `storageUri`, only
 * with the bearer token. An extension (`instances[].video`) must be inline bytes with a video MIME
 * type, 7 s, with no image, lastFrame or referenceImages beside it.
 */
import { generateKeyPairSync, createVerify } from 'node:crypto';
import { Hono } from 'hono';
import { checkCredential, FakeState, garbageResponse, handle, listen, videoResponse, type FakeHandle } from './core.js';

const MODELS = new Set(['veo-3.1-generate-001', 'veo-3.1-fast-generate-001', 'veo-3.1-lite-generate-001']);
const TOKEN = 'ya29.fake-vertex-access-token-0000';

const gerr = (code: number, status: string, message: string) => ({ error: { code, message, status } });

export interface VertexFake extends FakeHandle {
  /** The service-account key file's JSON, its token_uri pointing at this fake. */
  serviceAccountJson: string;
  project: string;
  location: string;
  outputGcsUri: string;
  /** The token endpoint was asked this many times. */
  tokenRequests(): number;
}

export async function startVertexFake(): Promise<VertexFake> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const state = new FakeState('op');
  const app = new Hono();
  const project = 'tb-project';
  const location = 'us-central1';
  const bucket = 'tb-clips';
  let tokens = 0;
  app.use('*', state.hangMiddleware());

  app.post('/token', async (c) => {
    tokens += 1;
    const form = new URLSearchParams(await c.req.text());
    if (c.req.header('content-type') !== 'application/x-www-form-urlencoded') return c.json({ error: 'invalid_request', error_description: 'form body expected' }, 400);
    const assertion = form.get('assertion') ?? '';
    state.credentials.add(assertion);
    const [h, p, sig] = assertion.split('.');
    const signed = Boolean(h && p && sig) && createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(sig!, 'base64url'));
    const claims = signed ? (JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>) : {};
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !signed || claims.scope !== 'https://www.googleapis.com/auth/cloud-platform') {
      // Like the other fakes, it echoes the credential it was shown: the adapter must redact it.
      return c.json({ error: 'invalid_grant', error_description: `Invalid JWT Signature. (${assertion})` }, 400);
    }
    return c.json({ access_token: TOKEN, expires_in: 3599, token_type: 'Bearer' });
  });

  const authed = (header: string | undefined) => checkCredential(state, header, 'Bearer', TOKEN);

  app.get('/storage/v1/b/:bucket/o/:object', (c) => {
    if (!authed(c.req.header('authorization'))) return c.json(gerr(401, 'UNAUTHENTICATED', 'Anonymous caller does not have storage.objects.get access.'), 401);
    return c.req.param('bucket') === bucket && c.req.query('alt') === 'media' ? videoResponse() : c.json(gerr(404, 'NOT_FOUND', 'No such object.'), 404);
  });

  const base = `/v1/projects/${project}/locations/${location}/publishers/google/models/`;
  app.post(`${base}:spec`, async (c) => {
    if (!authed(c.req.header('authorization'))) return c.json(gerr(401, 'UNAUTHENTICATED', `Request had invalid authentication credentials: ${c.req.header('authorization') ?? ''}`), 401);
    const [model, action] = c.req.param('spec').split(':');
    if (!model || !MODELS.has(model)) return c.json(gerr(404, 'NOT_FOUND', `Publisher Model ${model} was not found.`), 404);
    const body = (await c.req.json()) as { instances?: Record<string, unknown>[]; parameters?: Record<string, unknown>; operationName?: string };
    if (action === 'fetchPredictOperation') {
      const id = body.operationName?.split('/operations/')[1] ?? '';
      const job = state.jobs.get(id);
      if (!job) return c.json(gerr(404, 'NOT_FOUND', 'Operation not found.'), 404);
      const phase = state.advance(job);
      const name = body.operationName!;
      if (phase === 'failure') return c.json({ name, done: true, error: { code: 13, message: 'Internal error while generating the video.' } });
      if (phase === 'safety') return c.json({ name, done: true, response: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['The prompt may violate our Responsible AI practices.'] } });
      if (phase !== 'succeed') return c.json({ name, done: false });
      const storageUri = String((job.input as { parameters: { storageUri: string } }).parameters.storageUri);
      const uri = state.outputUrl(job, `${storageUri}${job.id}/sample_0.mp4`);
      return c.json({ name, done: true, response: { '@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse', videos: [{ gcsUri: uri, mimeType: 'video/mp4' }] } });
    }
    if (action !== 'predictLongRunning') return c.json(gerr(404, 'NOT_FOUND', 'Method not found.'), 404);
    const gate = state.gate();
    if (gate === 'rate_limit') return c.json(gerr(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model.'), 429);
    if (gate === 'server_error') return c.json(gerr(503, 'UNAVAILABLE', 'The service is currently unavailable.'), 503);
    if (gate === 'garbage') return garbageResponse();
    const problem = checkInstance(body.instances?.[0] ?? {}, body.parameters ?? {});
    if (problem) return c.json(gerr(400, 'INVALID_ARGUMENT', problem), 400);
    const job = state.create(c.req.path, body, c.req.raw.headers);
    return c.json({ name: `projects/${project}/locations/${location}/publishers/google/models/${model}/operations/${job.id}` });
  });

  const server = await listen(app, state);
  const serviceAccountJson = JSON.stringify({
    type: 'service_account',
    project_id: project,
    client_email: 'takeboard@tb-project.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    token_uri: `${server.origin}/token`,
  });
  return {
    ...handle(state, server, { baseUrl: `${server.origin}/v1`, key: TOKEN }),
    serviceAccountJson,
    project,
    location,
    outputGcsUri: `gs://${bucket}/takes/`,
    tokenRequests: () => tokens,
  };
}

/** Vertex's documented instance rules, as far as this fake enforces them. */
function checkInstance(inst: Record<string, unknown>, params: Record<string, unknown>): string | undefined {
  const duration = Number(params.durationSeconds);
  if (typeof params.storageUri !== 'string' || !params.storageUri.startsWith('gs://')) return 'storageUri must be a gs:// prefix.';
  if (typeof params.generateAudio !== 'boolean') return 'generateAudio is required for Veo 3 models.';
  const video = inst.video as { bytesBase64Encoded?: unknown; gcsUri?: unknown; mimeType?: unknown } | undefined;
  if (video) {
    if (typeof video.bytesBase64Encoded !== 'string' && typeof video.gcsUri !== 'string') return 'video needs bytesBase64Encoded or gcsUri.';
    if (typeof video.mimeType !== 'string' || !video.mimeType.startsWith('video/')) return 'video.mimeType must be a video type.';
    if (inst.image || inst.lastFrame || inst.referenceImages) return 'video cannot be combined with image, lastFrame or referenceImages.';
    return duration === 7 ? undefined : 'An extension is 7 seconds: durationSeconds must be 7.';
  }
  if (![4, 6, 8].includes(duration)) return 'durationSeconds must be 4, 6 or 8.';
  return inst.referenceImages && (inst.image || inst.lastFrame) ? 'referenceImages cannot be combined with image or lastFrame.' : undefined;
}
