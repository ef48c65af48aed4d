/**
 * The HTTP plumbing every adapter shares: every request leaves through the egress door
 * (`egress.ts`: auth headers only to the provider's own API origin, public addresses only, checked
 * redirects), timeouts joined with the caller's signal, answers capped in size, JSON parsing that
 * turns garbage into a clear transient error, and secret redaction on every error.
 */
import { createEgress } from './egress.js';
import {
  ProviderError,
  redactor,
  type ProviderErrorInit,
  type ProviderErrorKind,
} from './provider-error.js';
import type { CallContext, ProviderDeps } from './provider.js';

/** A non-2xx answer, with the body parsed when it was JSON. */
export interface HttpFailure {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** How an adapter reads its provider's error bodies. */
export type ErrorMapper = (failure: HttpFailure) => {
  kind: ProviderErrorKind;
  message: string;
  code?: string;
  retryAfterMs?: number;
};

export interface HttpOptions {
  provider: string;
  baseUrl: string;
  /** Auth and version headers, built per request (Kling signs a fresh JWT). */
  headers: () => Record<string, string>;
  /** Everything that must never leave the adapter: keys, and tokens derived from them. */
  secrets: () => readonly (string | undefined)[];
  mapFailure: ErrorMapper;
  deps: ProviderDeps;
}

export interface JsonOptions extends CallContext {
  body?: unknown;
  /** A form-encoded body instead (an OAuth 2 token request, RFC 6749 section 4.1.3). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Answer these statuses as data instead of throwing (e.g. a cancel that is too late). */
  acceptStatus?: readonly number[];
}

export interface HttpClient {
  readonly now: () => number;
  /** Calls `pathOrUrl` (a path under the base URL, or an absolute URL from an answer) and parses the JSON answer. */
  json(method: string, pathOrUrl: string, opts?: JsonOptions): Promise<{ status: number; headers: Headers; data: unknown }>;
  /** A download with only the caller's signal (it can be long); `credentials` as in `EgressRequest`. */
  raw(url: string, init: CallContext & { credentials?: boolean }): Promise<Response>;
  error(init: Omit<ProviderErrorInit, 'provider'>): ProviderError;
  mapError(err: unknown): ProviderError;
  fail(failure: HttpFailure): ProviderError;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Largest API answer read (status and result JSON are a few KB; clips go through `raw`). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** Builds the shared client for one adapter. */
export function createHttp(opts: HttpOptions): HttpClient {
  const egress = createEgress({
    provider: opts.provider,
    apiBase: opts.baseUrl,
    credentials: opts.headers,
    ...(opts.deps.egress ? { options: opts.deps.egress } : {}),
    ...(opts.deps.fetch ? { fetch: opts.deps.fetch } : {}),
  });
  const now = opts.deps.now ?? Date.now;
  const timeoutMs = opts.deps.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const redact = (text: string) => redactor(opts.secrets())(text);

  const error = (init: Omit<ProviderErrorInit, 'provider'>) =>
    new ProviderError({ ...init, provider: opts.provider, providerMessage: redact(init.providerMessage) });

  const fail = (failure: HttpFailure) => {
    const mapped = opts.mapFailure(failure);
    return error({
      kind: mapped.kind,
      providerMessage: mapped.message || `HTTP ${failure.status}`,
      status: failure.status,
      ...(mapped.code !== undefined ? { code: mapped.code } : {}),
      ...(mapped.retryAfterMs !== undefined ? { retryAfterMs: mapped.retryAfterMs } : {}),
    });
  };

  const mapError = (err: unknown): ProviderError => {
    if (err instanceof ProviderError) return err;
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError') return error({ kind: 'transient', code: 'timeout', providerMessage: 'request timed out' });
    if (name === 'AbortError') return error({ kind: 'transient', code: 'aborted', providerMessage: 'request was aborted' });
    const message = err instanceof Error ? err.message : String(err);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return error({ kind: 'transient', code: 'network', providerMessage: `could not reach the service (${message}${cause})` });
  };

  const json: HttpClient['json'] = async (method, pathOrUrl, o = {}) => {
    // An absolute URL (from an answer) is taken as it is, whatever its scheme: the egress door judges it.
    const url = URL.canParse(pathOrUrl) ? pathOrUrl : `${opts.baseUrl}${pathOrUrl}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    let status: number;
    let resHeaders: Headers;
    let text: string;
    try {
      const res = await egress.fetch(url, {
        method,
        headers,
        signal,
        credentials: true,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
        ...(o.form ? { body: new URLSearchParams(o.form).toString() } : {}),
      });
      status = res.status;
      resHeaders = res.headers;
      text = await cappedText(res, MAX_ANSWER_BYTES, () =>
        error({ kind: 'permanent', code: 'answer_too_large', status, providerMessage: `answered with more than ${MAX_ANSWER_BYTES / 1024 / 1024} MB; the answer was not read` }),
      );
    } catch (err) {
      if (timeout.aborted && !o.signal?.aborted) {
        throw error({ kind: 'transient', code: 'timeout', providerMessage: `request timed out after ${timeoutMs} ms`, cause: err });
      }
      throw mapError(err);
    }
    const parsed = parseJson(text);
    const ok = (status >= 200 && status < 300) || o.acceptStatus?.includes(status);
    if (!ok) throw fail({ status, headers: resHeaders, body: parsed.ok ? parsed.value : undefined, text });
    if (!parsed.ok) {
      throw error({
        kind: 'transient',
        status,
        providerMessage: `answered HTTP ${status} with a body that is not valid JSON: "${snippet(text)}"`,
      });
    }
    return { status, headers: resHeaders, data: parsed.value };
  };

  const raw: HttpClient['raw'] = async (url, init) => {
    try {
      return await egress.fetch(url, init);
    } catch (err) {
      throw mapError(err);
    }
  };

  return { now, json, raw, error, mapError, fail };
}

/** The body as text, refusing (with `tooLarge()`) past `max` bytes, declared or counted. */
async function cappedText(res: Response, max: number, tooLarge: () => Error): Promise<string> {
  if (!res.body) return '';
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    await res.body.cancel().catch(() => {});
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let seen = 0;
  // Leaving the loop by throwing cancels the stream (and closes the connection).
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    seen += chunk.length;
    if (seen > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON; an empty body counts as `null` (204 answers). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The start of a body on one line, for error messages. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Reads `obj.a.b.c` without trusting the shape. */
export function dig(obj: unknown, ...path: (string | number)[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** A string field or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
