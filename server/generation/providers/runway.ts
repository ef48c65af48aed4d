/** Runway API (docs/providers.md "Runway"): versioned header, THROTTLED counts as queued, no webhooks. */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec, VideoJobRequest } from '../../../shared/generation/types.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, mediaUrl, providerModelName, SAFETY_WORDS, signalOf } from './common.js';
import { dig, num, snippet, str, type ErrorMapper } from './http.js';
import { kindForStatus, retryAfterFromHeaders } from './provider-error.js';
import type { ProviderAdapter, ProviderDeps, ProviderStatus, SubmitContext } from './provider.js';
import { RUNWAY_MODELS, RUNWAY_PRICES, runwayRatio } from './runway.models.js';

export const RUNWAY_DEFAULT_BASE_URL = 'https://api.dev.runwayml.com';
export const RUNWAY_API_VERSION = '2024-11-06';

export interface RunwayOptions {
  apiSecret: string;
  baseUrl?: string;
  prices?: PriceTable;
}

/** Creates the Runway adapter. */
export function createRunwayProvider(opts: RunwayOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const { table, http, members } = adapterBase({
    provider: 'runway',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: RUNWAY_DEFAULT_BASE_URL,
    models: RUNWAY_MODELS,
    prices: opts.prices ?? RUNWAY_PRICES,
    headers: () => ({ authorization: `Bearer ${opts.apiSecret}`, 'x-runway-version': RUNWAY_API_VERSION }),
    secrets: () => [opts.apiSecret],
    mapFailure: runwayFailure,
    deps,
  });
  const task = (id: string) => `/v1/tasks/${encodeURIComponent(id)}`;

  const poll: ProviderAdapter['poll'] = async (id, ctx = {}) => {
    const { data } = await http.json('GET', task(id), signalOf(ctx));
    return required(http, runwayStatus(data), 'returned a task with an unknown status');
  };

  return {
    id: 'runway',
    label: 'Runway',
    minPollIntervalMs: 5_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      const { path, body } = await runwayBody(req, spec, ctx);
      const { data } = await http.json('POST', path, { body, ...signalOf(ctx) });
      const id = required(http, str(dig(data, 'id')), 'accepted the task but returned no id');
      return { providerJobId: id, requestId: id };
    },
    poll,
    async cancel(id, ctx = {}) {
      // DELETE on a finished task deletes it (and its output), so look first.
      const state = (await poll(id, ctx)).state;
      if (state === 'canceled') return 'canceled';
      if (state === 'succeeded' || state === 'failed') return 'too_late';
      await http.json('DELETE', task(id), signalOf(ctx));
      return 'canceled';
    },
    requestIdOf: (id) => id,
  };
}

async function runwayBody(req: VideoJobRequest, spec: ModelSpec, ctx: SubmitContext) {
  const url = (ref: Parameters<typeof mediaUrl>[1]) => mediaUrl(ctx, ref);
  const common = {
    model: providerModelName(spec.id),
    ratio: runwayRatio(req.aspectRatio, req.resolution),
    duration: req.durationSec,
    ...(req.prompt ? { promptText: req.prompt } : {}),
    ...(req.seed !== undefined && spec.supportsSeed ? { seed: req.seed } : {}),
    ...(spec.supportsAudio && req.generateAudio !== undefined ? { audio: req.generateAudio } : {}),
  };
  if (req.firstFrame) {
    const promptImage = [{ uri: await url(req.firstFrame), position: 'first' }];
    if (req.lastFrame) promptImage.push({ uri: await url(req.lastFrame), position: 'last' });
    return { path: '/v1/image_to_video', body: { ...common, promptImage } };
  }
  // seedance2 references ride on text_to_video (item shape UNVERIFIED, docs/providers.md "Runway").
  const references = await Promise.all((req.referenceImages ?? []).map(async (r) => ({ uri: await url(r.media) })));
  const referenceVideos = await Promise.all((req.referenceVideos ?? []).map(async (r) => ({ uri: await url(r) })));
  return {
    path: '/v1/text_to_video',
    body: {
      ...common,
      ...(references.length ? { references } : {}),
      ...(referenceVideos.length ? { referenceVideos } : {}),
    },
  };
}

/** A task as a status; undefined when the status is unknown. */
export function runwayStatus(task: unknown): ProviderStatus | undefined {
  switch (str(dig(task, 'status'))) {
    case 'PENDING':
    case 'THROTTLED':
      return { state: 'queued' };
    case 'RUNNING': {
      const progress = num(dig(task, 'progress'));
      return progress === undefined ? { state: 'running' } : { state: 'running', progress };
    }
    case 'CANCELLED':
      return { state: 'canceled' };
    case 'SUCCEEDED': {
      const videoUrl = str(dig(task, 'output', 0));
      return videoUrl
        ? { state: 'succeeded', videoUrl }
        : { state: 'failed', reason: 'Finished without an output URL.', permanent: false };
    }
    case 'FAILED': {
      const code = str(dig(task, 'failureCode'));
      const reason = str(dig(task, 'failure')) ?? 'The task failed.';
      const safety = code?.startsWith('SAFETY.') ?? false;
      const permanent = safety || code === 'ASSET.INVALID';
      return { state: 'failed', reason, permanent, ...(code ? { code } : {}), ...(safety ? { safety } : {}) };
    }
    default:
      return undefined;
  }
}

function runwayFailure(now: () => number): ErrorMapper {
  return ({ status, headers, body, text }) => {
    const error = str(dig(body, 'error'));
    const message = error ?? (text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status}`);
    const base = kindForStatus(status);
    const kind = base === 'permanent' && SAFETY_WORDS.test(message) ? 'safety' : base;
    const retryAfterMs = retryAfterFromHeaders(headers, now());
    return { kind, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  };
}
