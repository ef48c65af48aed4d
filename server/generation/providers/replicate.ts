/** Replicate predictions (docs/providers.md "Replicate"), with signed webhooks (Standard Webhooks). */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { VideoJobRequest } from '../../../shared/generation/types.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, mediaUrl, providerModelName, SAFETY_WORDS, signalOf } from './common.js';
import { dig, snippet, str, type ErrorMapper } from './http.js';
import { kindForStatus, retryAfterFromHeaders, retryAfterFromText } from './provider-error.js';
import type { ProviderAdapter, ProviderDeps, ProviderStatus, SubmitContext } from './provider.js';
import { REPLICATE_MODELS, REPLICATE_PRICES } from './replicate.models.js';
import { verifyStandardWebhook } from './standard-webhooks.js';

export const REPLICATE_DEFAULT_BASE_URL = 'https://api.replicate.com/v1';

export interface ReplicateOptions {
  apiToken: string;
  baseUrl?: string;
  /** `whsec_…`; when absent it is fetched once from `GET /webhooks/default/secret`. */
  webhookSecret?: string;
  prices?: PriceTable;
}

/** Creates the Replicate adapter. */
export function createReplicateProvider(opts: ReplicateOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const { table, http, now, members } = adapterBase({
    provider: 'replicate',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: REPLICATE_DEFAULT_BASE_URL,
    models: REPLICATE_MODELS,
    prices: opts.prices ?? REPLICATE_PRICES,
    headers: () => ({ authorization: `Bearer ${opts.apiToken}` }),
    secrets: () => [opts.apiToken, opts.webhookSecret],
    mapFailure: replicateFailure,
    deps,
  });
  let secret: Promise<string> | undefined = opts.webhookSecret ? Promise.resolve(opts.webhookSecret) : undefined;

  const webhookSecret = () => {
    secret ??= http.json('GET', '/webhooks/default/secret').then(({ data }) => {
      return required(http, str(dig(data, 'key')), 'returned no webhook signing secret');
    });
    return secret.catch((err: unknown) => {
      secret = undefined;
      throw err;
    });
  };

  return {
    id: 'replicate',
    label: 'Replicate',
    minPollIntervalMs: 5_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      const body = {
        input: await replicateInput(req, ctx),
        ...(ctx.webhookUrl ? { webhook: ctx.webhookUrl, webhook_events_filter: ['start', 'completed'] } : {}),
      };
      const path = `/models/${providerModelName(spec.id)}/predictions`;
      const { data } = await http.json('POST', path, { body, ...signalOf(ctx) });
      const id = required(http, str(dig(data, 'id')), 'accepted the prediction but returned no id');
      return { providerJobId: id, requestId: id };
    },
    async poll(id, ctx = {}) {
      const { data } = await http.json('GET', `/predictions/${encodeURIComponent(id)}`, signalOf(ctx));
      return required(http, replicateStatus(data), 'returned a prediction with an unknown status');
    },
    async cancel(id, ctx = {}) {
      const { data } = await http.json('POST', `/predictions/${encodeURIComponent(id)}/cancel`, signalOf(ctx));
      const state = replicateStatus(data)?.state;
      if (state === 'canceled') return 'canceled';
      return state === 'succeeded' || state === 'failed' ? 'too_late' : 'requested';
    },
    requestIdOf: (id) => id,
    async parseWebhook(request) {
      const body = await request.text();
      let key: string;
      try {
        key = await webhookSecret();
      } catch {
        return { ok: false, reason: 'webhook signing secret unavailable' };
      }
      const check = verifyStandardWebhook({
        secret: key,
        id: request.headers.get('webhook-id'),
        timestamp: request.headers.get('webhook-timestamp'),
        signature: request.headers.get('webhook-signature'),
        body,
        nowMs: now(),
      });
      if (!check.ok) return check;
      let prediction: unknown;
      try {
        prediction = JSON.parse(body) as unknown;
      } catch {
        return { ok: false, reason: 'webhook body is not JSON' };
      }
      const requestId = str(dig(prediction, 'id'));
      const status = replicateStatus(prediction);
      if (!requestId || !status) return { ok: false, reason: 'webhook body is not a prediction' };
      return { ok: true, event: { requestId, status, verified: true } };
    },
  };
}

async function replicateInput(req: VideoJobRequest, ctx: SubmitContext) {
  const url = (ref: Parameters<typeof mediaUrl>[1]) => mediaUrl(ctx, ref);
  const refs = await Promise.all((req.referenceImages ?? []).map((r) => url(r.media)));
  const videos = await Promise.all((req.referenceVideos ?? []).map(url));
  const audios = await Promise.all((req.referenceAudios ?? []).map(url));
  return {
    prompt: req.prompt ?? '',
    ...(req.firstFrame ? { image: await url(req.firstFrame) } : {}),
    ...(req.lastFrame ? { last_frame_image: await url(req.lastFrame) } : {}),
    ...(refs.length ? { reference_images: refs } : {}),
    ...(videos.length ? { reference_videos: videos } : {}),
    ...(audios.length ? { reference_audios: audios } : {}),
    duration: req.durationSec,
    aspect_ratio: req.aspectRatio,
    ...(req.resolution ? { resolution: req.resolution } : {}),
    ...(req.generateAudio !== undefined ? { generate_audio: req.generateAudio } : {}),
    ...(req.seed !== undefined ? { seed: req.seed } : {}),
  };
}

/** A prediction as a status; undefined when the status is unknown. */
export function replicateStatus(prediction: unknown): ProviderStatus | undefined {
  switch (str(dig(prediction, 'status'))) {
    case 'starting':
      return { state: 'queued' };
    case 'processing':
      return { state: 'running' };
    case 'canceled':
    case 'aborted':
      return { state: 'canceled' };
    case 'succeeded': {
      const output = dig(prediction, 'output');
      const first = Array.isArray(output) ? output[0] : output;
      const videoUrl = str(first) ?? str(dig(first, 'url'));
      return videoUrl
        ? { state: 'succeeded', videoUrl }
        : { state: 'failed', reason: 'Finished without a video in the output.', permanent: false };
    }
    case 'failed': {
      const reason = str(dig(prediction, 'error')) ?? 'The prediction failed.';
      const safety = SAFETY_WORDS.test(reason);
      return { state: 'failed', reason, permanent: safety, ...(safety ? { safety } : {}) };
    }
    default:
      return undefined;
  }
}

function replicateFailure(now: () => number): ErrorMapper {
  return ({ status, headers, body, text }) => {
    const detail = str(dig(body, 'detail')) ?? str(dig(body, 'title'));
    const message = detail ?? (text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status}`);
    const retryAfterMs =
      retryAfterFromHeaders(headers, now()) ?? (status === 429 ? retryAfterFromText(detail) : undefined);
    return { kind: kindForStatus(status), message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  };
}
