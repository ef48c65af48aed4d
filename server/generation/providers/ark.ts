/** Seedance via BytePlus ModelArk (or Volcengine Ark, same API): docs/providers.md "BytePlus ModelArk". */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { VideoJobRequest } from '../../../shared/generation/types.js';
import { ARK_MODELS, ARK_PRICES, volcengineModelName } from './ark.models.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, mediaUrl, providerModelName, SAFETY_WORDS, signalOf } from './common.js';
import { dig, num, str, type ErrorMapper } from './http.js';
import { kindForStatus, retryAfterFromHeaders } from './provider-error.js';
import type { ProviderAdapter, ProviderDeps, ProviderStatus, SubmitContext } from './provider.js';

export const ARK_DEFAULT_BASE_URL = 'https://ark.ap-southeast.bytepluses.com/api/v3';

export interface ArkOptions {
  apiKey: string;
  baseUrl?: string;
  prices?: PriceTable;
}

const TASKS = '/contents/generations/tasks';

/** Creates the ModelArk adapter. */
export function createArkProvider(opts: ArkOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const { baseUrl, table, http, members } = adapterBase({
    provider: 'ark',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: ARK_DEFAULT_BASE_URL,
    models: ARK_MODELS,
    prices: opts.prices ?? ARK_PRICES,
    headers: () => ({ authorization: `Bearer ${opts.apiKey}` }),
    secrets: () => [opts.apiKey],
    mapFailure: arkFailure,
    deps,
  });
  const volcengine = baseUrl.includes('volces.com');

  const getTask = async (id: string, signal?: AbortSignal) =>
    (await http.json('GET', `${TASKS}/${encodeURIComponent(id)}`, signal ? { signal } : {})).data;

  return {
    id: 'ark',
    label: 'BytePlus ModelArk',
    minPollIntervalMs: 5_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      const name = providerModelName(spec.id);
      const body = await arkBody(req, volcengine ? volcengineModelName(name) : name, spec.supportsAudio, ctx);
      const { data } = await http.json('POST', TASKS, { body, ...signalOf(ctx) });
      const id = required(http, str(dig(data, 'id')), 'accepted the task but returned no id');
      return { providerJobId: id, requestId: id };
    },
    async poll(id, ctx = {}) {
      return required(http, arkStatus(await getTask(id, ctx.signal)), 'returned a task with an unknown status');
    },
    async cancel(id, ctx = {}) {
      // DELETE also deletes finished tasks (and their result), so only send it while queued.
      const state = arkStatus(await getTask(id, ctx.signal))?.state;
      if (state !== 'queued') return state === 'canceled' ? 'canceled' : 'too_late';
      await http.json('DELETE', `${TASKS}/${encodeURIComponent(id)}`, signalOf(ctx));
      return 'canceled';
    },
    requestIdOf: (id) => id,
    async parseWebhook(request) {
      const body: unknown = await request.json().catch(() => undefined);
      const id = str(dig(body, 'id'));
      const status = arkStatus(body);
      if (!id || !status) return { ok: false, reason: 'not a ModelArk task callback' };
      return { ok: true, event: { requestId: id, status, verified: false } };
    },
  };
}

async function arkBody(req: VideoJobRequest, model: string, audio: boolean, ctx: SubmitContext) {
  const content: unknown[] = [];
  if (req.prompt) content.push({ type: 'text', text: req.prompt });
  const image = async (ref: NonNullable<VideoJobRequest['firstFrame']>, role: string) => ({
    type: 'image_url',
    image_url: { url: await mediaUrl(ctx, ref) },
    role,
  });
  if (req.firstFrame) content.push(await image(req.firstFrame, 'first_frame'));
  if (req.lastFrame) content.push(await image(req.lastFrame, 'last_frame'));
  for (const ref of req.referenceImages ?? []) content.push(await image(ref.media, 'reference_image'));
  for (const ref of req.referenceVideos ?? []) {
    content.push({ type: 'video_url', video_url: { url: await mediaUrl(ctx, ref) }, role: 'reference_video' });
  }
  for (const ref of req.referenceAudios ?? []) {
    content.push({ type: 'audio_url', audio_url: { url: await mediaUrl(ctx, ref) }, role: 'reference_audio' });
  }
  return {
    model,
    content,
    ratio: req.aspectRatio,
    duration: req.durationSec,
    watermark: false,
    ...(req.resolution ? { resolution: req.resolution } : {}),
    ...(req.seed !== undefined ? { seed: req.seed } : {}),
    ...(req.cameraFixed !== undefined ? { camera_fixed: req.cameraFixed } : {}),
    ...(audio && req.generateAudio !== undefined ? { generate_audio: req.generateAudio } : {}),
    ...(ctx.webhookUrl ? { callback_url: ctx.webhookUrl } : {}),
  };
}

/** A task body (GET answer or callback) as a status; undefined when the status is unknown. */
export function arkStatus(task: unknown): ProviderStatus | undefined {
  switch (str(dig(task, 'status'))) {
    case 'queued':
      return { state: 'queued' };
    case 'running':
      return { state: 'running' };
    case 'cancelled':
      return { state: 'canceled' };
    case 'expired':
      return { state: 'failed', reason: 'The task expired before it ran.', permanent: false, code: 'expired' };
    case 'succeeded': {
      const videoUrl = str(dig(task, 'content', 'video_url'));
      if (!videoUrl) return { state: 'failed', reason: 'Finished without a video URL.', permanent: false };
      const seed = num(dig(task, 'seed'));
      // The charge is the provider's own token count (completion tokens; total where only that is given).
      const tokens = num(dig(task, 'usage', 'completion_tokens')) ?? num(dig(task, 'usage', 'total_tokens'));
      const outputSeconds = num(dig(task, 'duration'));
      const usage = { ...(tokens !== undefined && tokens >= 0 ? { tokens } : {}), ...(outputSeconds !== undefined && outputSeconds > 0 ? { outputSeconds } : {}) };
      return { state: 'succeeded', videoUrl, ...(seed !== undefined ? { seed } : {}), ...(Object.keys(usage).length ? { usage } : {}) };
    }
    case 'failed': {
      const code = str(dig(task, 'error', 'code')) ?? 'unknown';
      const reason = str(dig(task, 'error', 'message')) ?? 'The generation failed.';
      const safety = SAFETY_WORDS.test(code) || SAFETY_WORDS.test(reason);
      const permanent = safety || /Invalid|Missing/i.test(code);
      return { state: 'failed', reason, permanent, code, ...(safety ? { safety } : {}) };
    }
    default:
      return undefined;
  }
}

function arkFailure(now: () => number): ErrorMapper {
  return ({ status, headers, body, text }) => {
    const code = str(dig(body, 'error', 'code'));
    const message = str(dig(body, 'error', 'message')) ?? (text.trim() ? `HTTP ${status}: ${text.slice(0, 200)}` : '');
    const safety = code !== undefined && SAFETY_WORDS.test(code);
    const retryAfterMs = retryAfterFromHeaders(headers, now());
    return {
      kind: safety ? 'safety' : kindForStatus(status),
      message: message || `HTTP ${status}`,
      ...(code ? { code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  };
}
