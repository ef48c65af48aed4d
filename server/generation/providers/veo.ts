/**
 * Google Veo on the Gemini API (docs/providers.md "Google Veo (Gemini API)"): predictLongRunning, operation polling,
 * and downloads that need the key (the egress door sends it only to the API's own origin).
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { MediaRef, VideoJobRequest } from '../../../shared/generation/types.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, downloadVideo, providerModelName, SAFETY_WORDS, signalOf } from './common.js';
import { dig, num, snippet, str, type ErrorMapper } from './http.js';
import { kindForStatus, retryAfterFromHeaders, retryAfterFromText, type ProviderErrorKind } from './provider-error.js';
import type { ProviderAdapter, ProviderDeps, ProviderStatus, SubmitContext } from './provider.js';
import { VEO_MODELS, VEO_PRICES } from './veo.models.js';

export const VEO_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

export interface VeoOptions {
  apiKey: string;
  baseUrl?: string;
  prices?: PriceTable;
}

/** Creates the Gemini Veo adapter. */
export function createVeoProvider(opts: VeoOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const { table, http, members } = adapterBase({
    provider: 'veo',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: VEO_DEFAULT_BASE_URL,
    models: VEO_MODELS,
    prices: opts.prices ?? VEO_PRICES,
    headers: () => ({ 'x-goog-api-key': opts.apiKey }),
    secrets: () => [opts.apiKey],
    mapFailure: veoFailure,
    deps,
  });

  return {
    id: 'veo',
    label: 'Google Veo (Gemini API)',
    minPollIntervalMs: 10_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      const path = `/models/${providerModelName(spec.id)}:predictLongRunning`;
      const { data } = await http.json('POST', path, { body: await veoBody(req, ctx), ...signalOf(ctx) });
      const name = required(http, str(dig(data, 'name')), 'accepted the request but returned no operation');
      return { providerJobId: name, requestId: name };
    },
    async poll(name, ctx = {}) {
      const { data } = await http.json('GET', `/${name.replace(/^\/+/, '')}`, signalOf(ctx));
      return veoStatus(data);
    },
    cancel: async () => 'unsupported',
    // Our own origin needs the key; the egress door drops it on the redirect to storage.
    download: (url, ctx) => downloadVideo(http, url, ctx, true),
    requestIdOf: (name) => name,
  };
}

/**
 * One Veo instance, the same on the Gemini API and on Vertex: the prompt, frames and asset
 * references, each image inline as base64 with its MIME type (Vertex adds its clip the same way).
 */
export async function inlineMedia(ctx: SubmitContext, ref: MediaRef) {
  const { base64, mimeType } = await ctx.media.toBase64(ref);
  return { bytesBase64Encoded: base64, mimeType };
}

export async function veoInstance(req: VideoJobRequest, ctx: SubmitContext) {
  const refs = await Promise.all((req.referenceImages ?? []).map(async (r) => ({ image: await inlineMedia(ctx, r.media), referenceType: 'asset' })));
  return {
    prompt: req.prompt ?? '',
    ...(req.firstFrame ? { image: await inlineMedia(ctx, req.firstFrame) } : {}),
    ...(req.lastFrame ? { lastFrame: await inlineMedia(ctx, req.lastFrame) } : {}),
    ...(refs.length ? { referenceImages: refs } : {}),
  };
}

/** The parameters both APIs share. */
export function veoParameters(req: VideoJobRequest) {
  return {
    aspectRatio: req.aspectRatio,
    durationSeconds: req.durationSec,
    ...(req.resolution ? { resolution: req.resolution } : {}),
    ...(req.negativePrompt ? { negativePrompt: req.negativePrompt } : {}),
  };
}

async function veoBody(req: VideoJobRequest, ctx: SubmitContext) {
  return { instances: [await veoInstance(req, ctx)], parameters: veoParameters(req) };
}

/** A finished operation whose samples the safety filters removed, as a permanent refusal; undefined when none were. */
export function raiRefusal(res: unknown): ProviderStatus | undefined {
  const filtered = num(dig(res, 'raiMediaFilteredCount')) ?? 0;
  if (filtered === 0) return undefined;
  const reasons = dig(res, 'raiMediaFilteredReasons');
  const reason = Array.isArray(reasons) && reasons.length ? reasons.map(String).join(' ') : 'Blocked by safety filters.';
  return { state: 'failed', reason, permanent: true, safety: true, code: 'RAI_FILTERED' };
}

/** An operation as a status. Gemini does not tell queued from running. */
export function veoStatus(op: unknown): ProviderStatus {
  if (dig(op, 'done') !== true) return { state: 'running' };
  const error = dig(op, 'error');
  if (error) {
    const message = str(dig(error, 'message')) ?? 'The generation failed.';
    const code = str(dig(error, 'status')) ?? String(dig(error, 'code') ?? '');
    const safety = SAFETY_WORDS.test(message);
    const permanent = safety || /INVALID_ARGUMENT|FAILED_PRECONDITION|^3$|^9$|^400$/.test(code);
    return { state: 'failed', reason: message, permanent, ...(code ? { code } : {}), ...(safety ? { safety } : {}) };
  }
  const res = dig(op, 'response', 'generateVideoResponse');
  const videoUrl = str(dig(res, 'generatedSamples', 0, 'video', 'uri'));
  if (videoUrl) return { state: 'succeeded', videoUrl };
  return raiRefusal(res) ?? { state: 'failed', reason: 'Finished without a video.', permanent: false };
}

function veoFailure(now: () => number): ErrorMapper {
  return ({ status, headers, body, text }) => {
    const message = str(dig(body, 'error', 'message')) ?? (text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status}`);
    const code = str(dig(body, 'error', 'status'));
    const details = dig(body, 'error', 'details');
    const list = Array.isArray(details) ? details : [];
    const retryDelay = list.map((d) => str(dig(d, 'retryDelay'))).find(Boolean);
    const keyInvalid = list.some((d) => str(dig(d, 'reason')) === 'API_KEY_INVALID') || /API key/i.test(message);
    let kind: ProviderErrorKind = kindForStatus(status);
    if (code === 'RESOURCE_EXHAUSTED') kind = 'rate_limited';
    else if (code === 'PERMISSION_DENIED' || code === 'UNAUTHENTICATED' || keyInvalid) kind = 'auth';
    else if (kind === 'permanent' && SAFETY_WORDS.test(message)) kind = 'safety';
    const retryAfterMs = retryAfterFromHeaders(headers, now()) ?? retryAfterFromText(retryDelay);
    return { kind, message, ...(code ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  };
}
