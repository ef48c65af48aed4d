/**
 * The one error type adapters throw. `kind` tells the queue what to do:
 * transient / rate_limited -> retry with backoff (honour `retryAfterMs`);
 * permanent / safety -> fail the job with `providerMessage`; auth -> fail and flag the provider.
 */
export type ProviderErrorKind = 'transient' | 'permanent' | 'rate_limited' | 'auth' | 'safety';

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  provider: string;
  /** The provider's own words (already free of secrets). */
  providerMessage: string;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly providerMessage: string;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;

  constructor(init: ProviderErrorInit) {
    super(`${init.provider}: ${init.providerMessage}`, init.cause ? { cause: init.cause } : undefined);
    this.kind = init.kind;
    this.provider = init.provider;
    this.providerMessage = init.providerMessage;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /** True when trying again later may succeed. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited';
  }

  /** A plain object safe to store or send to a client. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      provider: this.provider,
      message: this.message,
      status: this.status,
      code: this.code,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** Kind for an HTTP status when the body says nothing more specific. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 409 || status === 425 || status >= 500) return 'transient';
  return 'permanent';
}

/** Milliseconds from a `Retry-After` header (seconds or HTTP date), if present and sane. */
export function retryAfterFromHeaders(headers: Headers, now: number): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds from prose like "resets in ~30s" or a duration like "12.5s". */
export function retryAfterFromText(text: string | undefined): number | undefined {
  const match = text?.match(/(\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?\b/i);
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Returns a function that blanks every secret (and anything shorter than 4 chars is ignored). */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text) => list.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
