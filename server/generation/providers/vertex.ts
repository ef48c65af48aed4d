/**
 * Veo 3.1 on Vertex AI (docs/providers.md "Veo on Vertex AI"): predictLongRunning, polled with
 * fetchPredictOperation; a chained clip is sent to extend as `instances[].video` (base64 bytes with
 * its MIME type); the finished clip is written to the deployment's Cloud Storage prefix
 * (`storageUri`) and downloaded from there with the same token. Auth: a service-account key
 * exchanged for access tokens (`vertex-auth.ts`). Answers are checked: an operation must be ours
 * (this project, location and model), a clip must lie under our own storage prefix.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { VideoJobRequest } from '../../../shared/generation/types.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, downloadVideo, providerModelName, SAFETY_WORDS, signalOf } from './common.js';
import { createHttp, dig, snippet, str, type ErrorMapper } from './http.js';
import { kindForStatus, retryAfterFromHeaders, type ProviderErrorKind } from './provider-error.js';
import type { ProviderAdapter, ProviderDeps, ProviderStatus, SubmitContext } from './provider.js';
import { parseServiceAccount, vertexTokenSource } from './vertex-auth.js';
import { VERTEX_MODELS, VERTEX_PRICES } from './vertex.models.js';
import { inlineMedia, raiRefusal, veoInstance, veoParameters } from './veo.js';

export const VERTEX_STORAGE_DEFAULT_BASE_URL = 'https://storage.googleapis.com';

export interface VertexOptions {
  /** The service-account key file's JSON. */
  serviceAccountJson: string;
  project: string;
  /** Region, e.g. `us-central1` (the API host is `<location>-aiplatform.googleapis.com`). */
  location: string;
  /** `gs://bucket/prefix/` Vertex writes finished clips under. */
  outputGcsUri: string;
  baseUrl?: string;
  /** Cloud Storage's JSON API (a fake in tests). */
  storageBaseUrl?: string;
  prices?: PriceTable;
}

const NAME_PART = /^[A-Za-z0-9._-]+$/;

/** Creates the Vertex Veo adapter; throws a sentence when the configuration cannot work. */
export function createVertexProvider(opts: VertexOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const account = parseServiceAccount(opts.serviceAccountJson);
  if (!NAME_PART.test(opts.project) || !NAME_PART.test(opts.location)) throw new Error('VERTEX_PROJECT and VERTEX_LOCATION: letters, digits, dots, dashes and underscores only');
  const output = parseGcs(opts.outputGcsUri);
  if (!output) throw new Error('VERTEX_OUTPUT_GCS_URI: a Cloud Storage prefix like gs://my-bucket/takeboard/');
  const now = deps.now ?? Date.now;
  // Everything that must never leave: the key file, the signed assertion and the token it buys.
  const secrets = () => [opts.serviceAccountJson, tokens.lastAssertion(), tokens.last(), account.clientEmail];
  const tokenHttp = createHttp({ provider: 'vertex', baseUrl: new URL(account.tokenUri).origin, headers: () => ({}), secrets, mapFailure: vertexFailure(now), deps });
  const tokens = vertexTokenSource(account, tokenHttp, now);
  const bearer = () => ({ authorization: `Bearer ${tokens.last()}` });
  const { table, http, members } = adapterBase({
    provider: 'vertex',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: `https://${opts.location}-aiplatform.googleapis.com/v1`,
    models: VERTEX_MODELS,
    prices: opts.prices ?? VERTEX_PRICES,
    headers: bearer,
    secrets,
    mapFailure: vertexFailure,
    deps,
  });
  // Downloads go to Cloud Storage, another origin that needs the same token.
  const storageBase = (opts.storageBaseUrl ?? VERTEX_STORAGE_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const storage = createHttp({ provider: 'vertex', baseUrl: storageBase, headers: bearer, secrets, mapFailure: vertexFailure(now), deps });
  const modelPath = (model: string) => `/projects/${opts.project}/locations/${opts.location}/publishers/google/models/${model}`;
  const ours = new RegExp(`^projects/${escape(opts.project)}/locations/${escape(opts.location)}/publishers/google/models/([A-Za-z0-9._-]+)/operations/[A-Za-z0-9._-]+$`);

  return {
    id: 'vertex',
    label: 'Google Veo (Vertex AI)',
    minPollIntervalMs: 10_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      await tokens.current();
      const body = await vertexBody(req, ctx, opts.outputGcsUri);
      const { data } = await http.json('POST', `${modelPath(providerModelName(spec.id))}:predictLongRunning`, { body, ...signalOf(ctx) });
      const name = required(http, str(dig(data, 'name')), 'accepted the request but returned no operation');
      if (!ours.test(name)) throw http.error({ kind: 'permanent', providerMessage: `answered with an operation that is not this project's: "${snippet(name, 80)}"` });
      return { providerJobId: name, requestId: name };
    },
    async poll(name, ctx = {}) {
      const model = ours.exec(name)?.[1];
      if (!model) throw http.error({ kind: 'permanent', providerMessage: 'unrecognised Vertex operation name' });
      await tokens.current();
      const { data } = await http.json('POST', `${modelPath(model)}:fetchPredictOperation`, { body: { operationName: name }, ...signalOf(ctx) });
      return vertexStatus(data, output);
    },
    cancel: async () => 'unsupported',
    // A clip is a `gs://` object under our prefix, read through the Cloud Storage JSON API with the token.
    async download(url, ctx) {
      const object = parseGcs(url);
      if (!object || object.bucket !== output.bucket || !object.path.startsWith(output.path)) {
        throw http.error({ kind: 'permanent', providerMessage: 'the finished clip is not under the configured storage prefix' });
      }
      await tokens.current();
      return downloadVideo(storage, `${storageBase}/storage/v1/b/${encodeURIComponent(object.bucket)}/o/${encodeURIComponent(object.path)}?alt=media`, ctx, true);
    },
    requestIdOf: (name) => name,
  };
}

/**
 * The request: Veo's instance (frames and asset references, as on the Gemini API) and, for an
 * extension, the clip as `video` (inline base64 with its MIME type); the clip goes to our storage prefix.
 */
async function vertexBody(req: VideoJobRequest, ctx: SubmitContext, storageUri: string) {
  return {
    instances: [{ ...(await veoInstance(req, ctx)), ...(req.extendVideo ? { video: await inlineMedia(ctx, req.extendVideo) } : {}) }],
    parameters: {
      ...veoParameters(req),
      sampleCount: 1,
      storageUri,
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      // Vertex wants it said for Veo 3 models; on unless the request turns it off (the price assumes audio).
      generateAudio: req.generateAudio ?? true,
    },
  };
}

/** An operation as a status; a clip outside our storage prefix is refused, not fetched. */
export function vertexStatus(op: unknown, output: { bucket: string; path: string }): ProviderStatus {
  if (dig(op, 'done') !== true) return { state: 'running' };
  const error = dig(op, 'error');
  if (error) {
    const message = str(dig(error, 'message')) ?? 'The generation failed.';
    const code = String(dig(error, 'code') ?? '');
    const safety = SAFETY_WORDS.test(message);
    return { state: 'failed', reason: message, permanent: safety || code === '3' || code === '9', ...(code ? { code } : {}), ...(safety ? { safety } : {}) };
  }
  const res = dig(op, 'response');
  const uri = str(dig(res, 'videos', 0, 'gcsUri'));
  if (uri) {
    const object = parseGcs(uri);
    if (!object || object.bucket !== output.bucket || !object.path.startsWith(output.path)) {
      return { state: 'failed', reason: 'Vertex reported a clip outside the configured storage prefix.', permanent: true, code: 'foreign_output' };
    }
    return { state: 'succeeded', videoUrl: uri };
  }
  return raiRefusal(res) ?? { state: 'failed', reason: 'Finished without a clip in storage.', permanent: false };
}

/** `gs://bucket/path` split, or undefined for anything else (no `..`, no empty bucket). */
export function parseGcs(uri: string): { bucket: string; path: string } | undefined {
  const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])\/(.*)$/.exec(uri);
  if (!m || m[2]!.split('/').includes('..')) return undefined;
  return { bucket: m[1]!, path: m[2]! };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function vertexFailure(now: () => number): ErrorMapper {
  return ({ status, headers, body, text }) => {
    const message =
      str(dig(body, 'error', 'message')) ?? str(dig(body, 'error_description')) ?? (text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status}`);
    const code = str(dig(body, 'error', 'status')) ?? str(dig(body, 'error'));
    let kind: ProviderErrorKind = kindForStatus(status);
    if (code === 'RESOURCE_EXHAUSTED') kind = 'rate_limited';
    else if (code === 'PERMISSION_DENIED' || code === 'UNAUTHENTICATED' || code === 'invalid_grant' || status === 401) kind = 'auth';
    else if (kind === 'permanent' && SAFETY_WORDS.test(message)) kind = 'safety';
    const retryAfterMs = retryAfterFromHeaders(headers, now());
    return { kind, message, ...(code ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  };
}
