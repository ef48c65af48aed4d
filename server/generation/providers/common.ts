/** Small pieces every adapter uses: model tables, request checks, media URLs and downloads. */
import { priceModel, type PriceTable } from '../../../shared/generation/prices.js';
import type { MediaRef, ModelInfo, ModelSpec, VideoJobRequest } from '../../../shared/generation/types.js';
import { validateRequest } from '../../../shared/generation/validate.js';
import type { HttpClient } from './http.js';
import type { CallContext, SubmitContext } from './provider.js';

/** A provider's models with prices attached, looked up by id. */
export interface ModelTable<S extends ModelSpec> {
  list: readonly ModelInfo[];
  info(id: string): ModelInfo | undefined;
  spec(id: string): S | undefined;
}

export function modelTable<S extends ModelSpec>(provider: string, specs: readonly S[], prices: PriceTable): ModelTable<S> {
  const list = specs.map((s) => Object.freeze(priceModel(s, provider, prices)));
  return {
    list: Object.freeze(list),
    info: (id) => list.find((m) => m.id === id),
    spec: (id) => specs.find((s) => s.id === id),
  };
}

/** Problems with a request, including an unknown model. */
export function validateFor(table: ModelTable<ModelSpec>, req: VideoJobRequest): string[] {
  const info = table.info(req.model);
  if (!info) return [`The model "${req.model}" is not available here.`];
  return validateRequest(req, info);
}

/** The spec for `req.model`, or a permanent ProviderError naming every problem (no network call made). */
export function checkedSpec<S extends ModelSpec>(http: HttpClient, table: ModelTable<S>, req: VideoJobRequest): S {
  const problems = validateFor(table, req);
  const spec = table.spec(req.model);
  if (problems.length > 0 || !spec) {
    throw http.error({ kind: 'permanent', code: 'invalid_request', providerMessage: problems.join(' ') });
  }
  return spec;
}

/** The provider's own model name: `ark:seedance-1-0-pro-250528` -> `seedance-1-0-pro-250528`. */
export function providerModelName(id: string): string {
  const i = id.indexOf(':');
  return i < 0 ? id : id.slice(i + 1);
}

/** A URL the provider can fetch: the ref's own, a public one, or a data URL as the last resort. */
export async function mediaUrl(ctx: SubmitContext, ref: MediaRef): Promise<string> {
  if (ref.url) return ref.url;
  const pub = ctx.media.publicUrl ? await ctx.media.publicUrl(ref) : undefined;
  return pub ?? ctx.media.toDataUrl(ref);
}

/**
 * Fetches a finished clip through the egress checks; a gone URL is permanent, anything else
 * transient. `credentials` for services whose own download URLs need the key (Veo).
 */
export async function downloadVideo(http: HttpClient, url: string, ctx: CallContext = {}, credentials = false): Promise<Response> {
  const res = await http.raw(url, { credentials, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  if (res.ok) return res;
  await res.body?.cancel();
  const gone = [403, 404, 410].includes(res.status);
  throw http.error({
    kind: gone ? 'permanent' : 'transient',
    status: res.status,
    providerMessage: gone
      ? `the finished clip is no longer available (HTTP ${res.status})`
      : `downloading the finished clip failed (HTTP ${res.status})`,
  });
}

/** Words that providers use when a prompt, image or output was refused. */
export const SAFETY_WORDS = /safety|sensitive|nsfw|moderat|content.?policy|risk control|flagged|violat|prohibited|blocked/i;

/** `{ signal }` when there is one (exactOptionalPropertyTypes-friendly spreading). */
export function signalOf(ctx: { signal?: AbortSignal } = {}): { signal?: AbortSignal } {
  return ctx.signal ? { signal: ctx.signal } : {};
}
