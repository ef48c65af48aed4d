/** Official Kling API (docs/providers.md "Kling (official API)"): self-signed JWT, business codes inside JSON answers. */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { MediaRef, VideoJobRequest } from '../../../shared/generation/types.js';
import { adapterBase, required } from './adapter-base.js';
import { checkedSpec, providerModelName, SAFETY_WORDS, signalOf } from './common.js';
import { dig, num, snippet, str, type ErrorMapper, type HttpClient } from './http.js';
import { klingTokenSource } from './kling-jwt.js';
import { KLING_MODELS, KLING_PRICES, type KlingModelSpec } from './kling.models.js';
import { klingOmniBody } from './kling-omni.js';
import { kindForStatus, type ProviderErrorKind } from './provider-error.js';
import type { CallContext, ProviderAdapter, ProviderDeps, ProviderStatus, SubmitContext } from './provider.js';

export const KLING_DEFAULT_BASE_URL = 'https://api-singapore.klingai.com';

export interface KlingOptions {
  accessKey: string;
  secretKey: string;
  baseUrl?: string;
  prices?: PriceTable;
}

const KINDS = ['image2video', 'text2video', 'multi-image2video', 'omni-video'] as const;

/** Creates the Kling adapter. */
export function createKlingProvider(opts: KlingOptions, deps: ProviderDeps = {}): ProviderAdapter {
  const tokens = klingTokenSource(opts.accessKey, opts.secretKey, deps.now ?? Date.now);
  const { table, http, members } = adapterBase({
    provider: 'kling',
    baseUrl: opts.baseUrl,
    defaultBaseUrl: KLING_DEFAULT_BASE_URL,
    models: KLING_MODELS,
    prices: opts.prices ?? KLING_PRICES,
    headers: () => ({ authorization: `Bearer ${tokens.current()}` }),
    secrets: () => [opts.accessKey, opts.secretKey, tokens.last()],
    mapFailure: () => klingFailure,
    deps,
  });

  const split = (providerJobId: string) => {
    const i = providerJobId.lastIndexOf('/');
    const kind = providerJobId.slice(0, i);
    if (i < 0 || !(KINDS as readonly string[]).includes(kind)) {
      throw http.error({ kind: 'permanent', providerMessage: 'unrecognised Kling job handle' });
    }
    return { kind, taskId: providerJobId.slice(i + 1) };
  };

  return {
    id: 'kling',
    label: 'Kling',
    minPollIntervalMs: 10_000,
    ...members,
    async submit(req, ctx) {
      const spec = checkedSpec(http, table, req);
      const { kind, body } = await klingBody(req, spec, ctx);
      const data = await call(http, 'POST', `/v1/videos/${kind}`, { body, ...signalOf(ctx) });
      const taskId = required(http, str(dig(data, 'task_id')), 'accepted the task but returned no task_id');
      return { providerJobId: `${kind}/${taskId}`, requestId: taskId };
    },
    async poll(providerJobId, ctx = {}) {
      const { kind, taskId } = split(providerJobId);
      const data = await call(http, 'GET', `/v1/videos/${kind}/${encodeURIComponent(taskId)}`, signalOf(ctx));
      return required(http, klingStatus(data), 'returned a task with an unknown status');
    },
    cancel: async () => 'unsupported',
    requestIdOf: (providerJobId) => split(providerJobId).taskId,
    async parseWebhook(request) {
      const body: unknown = await request.json().catch(() => undefined);
      const task = dig(body, 'data') ?? body;
      const requestId = str(dig(task, 'task_id'));
      const status = klingStatus(task);
      if (!requestId || !status) return { ok: false, reason: 'not a Kling task callback' };
      return { ok: true, event: { requestId, status, verified: false } };
    },
  };
}

/** Kling answers `{code, message, data}`; a non-zero code is an error even on HTTP 200. */
async function call(http: HttpClient, method: string, path: string, opts: CallContext & { body?: unknown }) {
  const { status, headers, data } = await http.json(method, path, opts);
  const code = num(dig(data, 'code'));
  if (code !== undefined && code !== 0) throw http.fail({ status, headers, body: data, text: '' });
  return dig(data, 'data');
}

async function klingBody(req: VideoJobRequest, spec: KlingModelSpec, ctx: SubmitContext) {
  // Kling takes a URL or raw base64 without the data: prefix.
  const image = async (ref: MediaRef) =>
    ref.url ?? (ctx.media.publicUrl ? await ctx.media.publicUrl(ref) : undefined) ?? (await ctx.media.toBase64(ref)).base64;
  const common = {
    model_name: providerModelName(spec.id),
    prompt: req.prompt ?? '',
    ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
    mode: req.resolution === '1080p' ? 'pro' : 'std',
    duration: String(req.durationSec),
    ...(spec.supportsAudio && req.generateAudio !== undefined ? { sound: req.generateAudio ? 'on' : 'off' } : {}),
    ...(ctx.webhookUrl ? { callback_url: ctx.webhookUrl } : {}),
  };
  // Kling 3.0 Omni has one endpoint of its own for every mode, and takes the chained tail as video.
  if (spec.omni) return { kind: 'omni-video', body: { ...(await klingOmniBody(req, spec, ctx, image)), ...(ctx.webhookUrl ? { callback_url: ctx.webhookUrl } : {}) } };
  if (req.firstFrame) {
    const tail = req.lastFrame ? { image_tail: await image(req.lastFrame) } : {};
    return { kind: 'image2video', body: { ...common, image: await image(req.firstFrame), ...tail } };
  }
  const refs = req.referenceImages ?? [];
  if (refs.length) {
    const image_list = await Promise.all(refs.map(async (r) => ({ image: await image(r.media) })));
    return { kind: 'multi-image2video', body: { ...common, image_list, aspect_ratio: req.aspectRatio } };
  }
  return { kind: 'text2video', body: { ...common, aspect_ratio: req.aspectRatio } };
}

/** A task (`data` of a GET answer, or a callback body) as a status; undefined when unknown. */
export function klingStatus(task: unknown): ProviderStatus | undefined {
  switch (str(dig(task, 'task_status'))) {
    case 'submitted':
      return { state: 'queued' };
    case 'processing':
      return { state: 'running' };
    case 'succeed': {
      const videoUrl = str(dig(task, 'task_result', 'videos', 0, 'url'));
      if (!videoUrl) return { state: 'failed', reason: 'Finished without a video URL.', permanent: false };
      // Kling bills per clip of the length it made: its reported duration ("5") prices the charge.
      const seconds = Number(str(dig(task, 'task_result', 'videos', 0, 'duration')) ?? num(dig(task, 'task_result', 'videos', 0, 'duration')));
      return Number.isInteger(seconds) && seconds > 0 ? { state: 'succeeded', videoUrl, usage: { outputSeconds: seconds } } : { state: 'succeeded', videoUrl };
    }
    case 'failed': {
      const reason = str(dig(task, 'task_status_msg')) || 'The generation failed.';
      const safety = SAFETY_WORDS.test(reason);
      return { state: 'failed', reason, permanent: safety, ...(safety ? { safety } : {}) };
    }
    default:
      return undefined;
  }
}

/** Kind for Kling's business codes (1000s auth, 1100s account, 1200s request, 1300s policy/limits, 5000s server). */
export function klingKind(code: number | undefined, status: number): ProviderErrorKind {
  if (code === undefined) return kindForStatus(status);
  if (code >= 1000 && code <= 1199) return 'auth';
  if (code === 1301) return 'safety';
  if (code >= 1302 && code <= 1399) return 'rate_limited';
  if (code >= 1200 && code <= 1299) return 'permanent';
  if (code >= 5000) return 'transient';
  return kindForStatus(status);
}

const klingFailure: ErrorMapper = ({ status, body, text }) => {
  const code = num(dig(body, 'code'));
  const message = str(dig(body, 'message')) ?? (text.trim() ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status}`);
  return { kind: klingKind(code, status), message, ...(code !== undefined ? { code: String(code) } : {}) };
};
