/**
 * fal.ai queue (docs/providers.md "fal.ai"). Status and result live at paths without the endpoint's
 * subpath, so the adapter keeps the URLs fal returns and follows them instead of building its own.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { VideoJobRequest } from '../../../shared/generation/types.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, mediaUrl, signalOf } from './common.js';
import { falFailure, falStatus, falWebhook, type FalHandle } from './fal.status.js';
import type { FalModelSpec } from './fal.models.js';
import { FAL_MODELS, FAL_PRICES } from './fal.models.js';
import { dig, str } from './http.js';
import type { ProviderAdapter, ProviderDeps, SubmitContext } from './provider.js';

export const FAL_DEFAULT_BASE_URL = 'https://queue.fal.run';

export interface FalOptions {
  apiKey: string;
  baseUrl?: string;
  prices?: PriceTable;
}

/** Creates the fal.ai queue adapter. */
export function createFalProvider(opts: FalOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const { baseUrl, table, http, members } = adapterBase({
    provider: 'fal',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: FAL_DEFAULT_BASE_URL,
    models: FAL_MODELS,
    prices: opts.prices ?? FAL_PRICES,
    headers: () => ({ authorization: `Key ${opts.apiKey}` }),
    secrets: () => [opts.apiKey],
    mapFailure: falFailure,
    deps,
  });

  const handle = (providerJobId: string): FalHandle => {
    const parsed: unknown = safeParse(providerJobId);
    const id = str(dig(parsed, 'id'));
    const status = str(dig(parsed, 'status'));
    const response = str(dig(parsed, 'response'));
    const cancel = str(dig(parsed, 'cancel'));
    if (!id || !status || !response || !cancel) {
      throw http.error({ kind: 'permanent', providerMessage: 'unrecognised fal job handle' });
    }
    return { id, status, response, cancel };
  };

  return {
    id: 'fal',
    label: 'fal.ai',
    minPollIntervalMs: 5_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      const endpoint = spec.endpoints[req.mode];
      if (!endpoint) throw http.error({ kind: 'permanent', providerMessage: `no endpoint for ${req.mode} mode` });
      const hook = ctx.webhookUrl ? `?fal_webhook=${encodeURIComponent(ctx.webhookUrl)}` : '';
      const body = await falInput(req, spec, ctx);
      const { data } = await http.json('POST', `/${endpoint}${hook}`, { body, ...signalOf(ctx) });
      const id = required(http, str(dig(data, 'request_id')), 'accepted the request but returned no request_id');
      // Fall back to subpath-less URLs only if fal ever omits them.
      const root = `${baseUrl}/${endpoint.split('/').slice(0, 2).join('/')}/requests/${id}`;
      const h: FalHandle = {
        id,
        status: str(dig(data, 'status_url')) ?? `${root}/status`,
        response: str(dig(data, 'response_url')) ?? root,
        cancel: str(dig(data, 'cancel_url')) ?? `${root}/cancel`,
      };
      return { providerJobId: JSON.stringify(h), requestId: id };
    },
    poll: (providerJobId, ctx = {}) => falStatus(http, handle(providerJobId), ctx),
    async cancel(providerJobId, ctx = {}) {
      const { data } = await http.json('PUT', handle(providerJobId).cancel, { acceptStatus: [400, 404], ...signalOf(ctx) });
      const answer = str(dig(data, 'status')) ?? str(data);
      if (answer === 'OK') return 'canceled';
      if (answer === 'CANCELLATION_REQUESTED') return 'requested';
      return 'too_late';
    },
    requestIdOf: (providerJobId) => handle(providerJobId).id,
    parseWebhook: falWebhook,
  };
}

async function falInput(req: VideoJobRequest, spec: FalModelSpec, ctx: SubmitContext) {
  const image = req.firstFrame ? { image_url: await mediaUrl(ctx, req.firstFrame) } : {};
  const refs = await Promise.all((req.referenceImages ?? []).map((r) => mediaUrl(ctx, r.media)));
  const common = { prompt: req.prompt ?? '', ...image };
  const seed = req.seed !== undefined && spec.supportsSeed ? { seed: req.seed } : {};
  const audio = req.generateAudio !== undefined ? { generate_audio: req.generateAudio } : {};
  const negative = req.negativePrompt ? { negative_prompt: req.negativePrompt } : {};
  const resolution = req.resolution ? { resolution: req.resolution } : {};
  switch (spec.family) {
    case 'kling':
      return { ...common, ...negative, duration: String(req.durationSec) };
    case 'veo':
      return {
        ...common,
        ...(refs.length ? { image_urls: refs } : {}),
        aspect_ratio: req.aspectRatio,
        duration: `${req.durationSec}s`,
        ...resolution,
        ...audio,
        ...seed,
        ...negative,
      };
    case 'seedance':
      return {
        ...common,
        ...(refs.length ? { image_urls: refs } : {}),
        aspect_ratio: req.aspectRatio,
        duration: String(req.durationSec),
        ...resolution,
        ...audio,
        ...seed,
        ...(req.cameraFixed !== undefined ? { camera_fixed: req.cameraFixed } : {}),
      };
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
