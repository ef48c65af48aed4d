/** Reading fal's answers: queue status, results, error bodies and webhook bodies. */
import { SAFETY_WORDS } from './common.js';
import { dig, num, snippet, str, type ErrorMapper, type HttpClient } from './http.js';
import { kindForStatus, ProviderError, retryAfterFromHeaders } from './provider-error.js';
import type { CallContext, ProviderStatus, WebhookResult } from './provider.js';

/** What the adapter keeps of fal's submit answer (the URLs fal returned, followed as given). */
export interface FalHandle {
  id: string;
  status: string;
  response: string;
  cancel: string;
}

/** Current status; a finished request is followed to its result. */
export async function falStatus(http: HttpClient, h: FalHandle, ctx: CallContext): Promise<ProviderStatus> {
  const { data } = await http.json('GET', h.status, ctx.signal ? { signal: ctx.signal } : {});
  switch (str(dig(data, 'status'))) {
    case 'IN_QUEUE': {
      const queuePosition = num(dig(data, 'queue_position'));
      return queuePosition === undefined ? { state: 'queued' } : { state: 'queued', queuePosition };
    }
    case 'IN_PROGRESS':
      return { state: 'running' };
    case 'COMPLETED': {
      const error = str(dig(data, 'error'));
      if (error) return failed(error, str(dig(data, 'error_type')));
      return falResult(http, str(dig(data, 'response_url')) ?? h.response, ctx);
    }
    default:
      throw http.error({ kind: 'transient', providerMessage: 'returned an unknown queue status' });
  }
}

async function falResult(http: HttpClient, url: string, ctx: CallContext): Promise<ProviderStatus> {
  let data: unknown;
  try {
    data = (await http.json('GET', url, ctx.signal ? { signal: ctx.signal } : {})).data;
  } catch (err) {
    if (!(err instanceof ProviderError) || !isJobFailure(err)) throw err;
    if (/still in progress/i.test(err.providerMessage)) return { state: 'running' };
    if (/cancel/i.test(err.providerMessage)) return { state: 'canceled' };
    return failed(err.providerMessage, err.code, err.kind);
  }
  const videoUrl = str(dig(data, 'video', 'url'));
  if (!videoUrl) return { state: 'failed', reason: 'Finished without a video in the result.', permanent: false };
  const seed = num(dig(data, 'seed'));
  return seed === undefined ? { state: 'succeeded', videoUrl } : { state: 'succeeded', videoUrl, seed };
}

/** A result answer that describes the request's own failure rather than a failed fetch. */
function isJobFailure(err: ProviderError): boolean {
  if (err.kind === 'auth' || err.kind === 'rate_limited' || err.status === undefined) return false;
  return err.code !== undefined || err.status === 400 || err.status === 422;
}

function failed(reason: string, type?: string, kind?: string): ProviderStatus {
  const safety = kind === 'safety' || isSafety(type, reason);
  const permanent = safety || (kind !== undefined && kind !== 'transient');
  return {
    state: 'failed',
    reason,
    permanent,
    ...(type ? { code: type } : {}),
    ...(safety ? { safety } : {}),
  };
}

function isSafety(type: string | undefined, message: string): boolean {
  return (type !== undefined && /content_policy|safety|nsfw/i.test(type)) || SAFETY_WORDS.test(message);
}

/** `{"detail": "..."}` or `{"detail": [{loc, msg, type}]}` as one sentence. */
export function falDetail(body: unknown): { message?: string; type?: string } {
  const detail = dig(body, 'detail');
  if (typeof detail === 'string') return { message: detail };
  if (!Array.isArray(detail)) return {};
  const parts = detail.map((d) => {
    const loc = dig(d, 'loc');
    const where = Array.isArray(loc) ? loc.filter((p) => p !== 'body').join('.') : '';
    const msg = str(dig(d, 'msg')) ?? 'invalid';
    return where ? `${where}: ${msg}` : msg;
  });
  const type = str(dig(detail[0], 'type'));
  return { message: parts.join('; '), ...(type ? { type } : {}) };
}

/** Maps fal's error answers. */
export function falFailure(now: () => number): ErrorMapper {
  return ({ status, headers, body, text }) => {
    const detail = falDetail(body);
    const type = headers.get('x-fal-error-type') ?? str(dig(body, 'error_type')) ?? detail.type;
    const message = detail.message ?? str(dig(body, 'error')) ?? (text.trim() ? `HTTP ${status}: ${snippet(text)}` : '');
    const retryAfterMs = retryAfterFromHeaders(headers, now());
    const base = kindForStatus(status);
    const kind = isSafety(type, message) && base !== 'auth' ? 'safety' : base;
    return {
      kind,
      message: message || `HTTP ${status}`,
      ...(type ? { code: type } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  };
}

/** Parses fal's webhook body (fal documents no signature, so events are hints: docs/providers.md "fal.ai"). */
export async function falWebhook(request: Request): Promise<WebhookResult> {
  const body: unknown = await request.json().catch(() => undefined);
  const requestId = str(dig(body, 'request_id'));
  const outcome = str(dig(body, 'status'));
  if (!requestId || (outcome !== 'OK' && outcome !== 'ERROR')) return { ok: false, reason: 'not a fal webhook body' };
  const videoUrl = str(dig(body, 'payload', 'video', 'url'));
  let status: ProviderStatus;
  if (outcome === 'OK' && videoUrl) {
    const seed = num(dig(body, 'payload', 'seed'));
    status = seed === undefined ? { state: 'succeeded', videoUrl } : { state: 'succeeded', videoUrl, seed };
  } else if (outcome === 'OK') {
    const why = str(dig(body, 'payload_error')) ?? 'the webhook carried no video';
    status = { state: 'failed', reason: `Result unreadable in webhook (${why}); poll for it.`, permanent: false };
  } else {
    const detail = falDetail(dig(body, 'payload'));
    const reason = str(dig(body, 'error')) ?? detail.message ?? 'The request failed.';
    status = failed(detail.message && detail.message !== reason ? `${reason}: ${detail.message}` : reason, detail.type);
  }
  return { ok: true, event: { requestId, status, verified: false } };
}
