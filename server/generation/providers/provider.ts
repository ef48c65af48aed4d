/**
 * The adapter contract every hosted video provider implements. The queue owns persistence,
 * retries and scheduling; an adapter only translates one request into one provider's HTTP API.
 */
import type { BilledUsage } from '../../../shared/generation/prices.js';
import type { MediaRef, ModelInfo, VideoJobRequest } from '../../../shared/generation/types.js';
import { validateRequest } from '../../../shared/generation/validate.js';
import type { EgressOptions } from './egress.js';
import type { ProviderError } from './provider-error.js';

export { ProviderError, type ProviderErrorKind } from './provider-error.js';

/** Turns stored assets into what a provider accepts, so adapters never touch storage. */
export interface MediaAccess {
  /** `data:<mime>;base64,...` */
  toDataUrl(ref: MediaRef): Promise<string>;
  /** Raw base64 (no `data:` prefix) and its MIME type. */
  toBase64(ref: MediaRef): Promise<{ base64: string; mimeType: string }>;
  /** A URL the provider can fetch (signed, time-limited), when the deployment has one. */
  publicUrl?(ref: MediaRef): Promise<string | undefined>;
}

/** Per-call options: abort or time out one request. */
export interface CallContext {
  signal?: AbortSignal;
}

export interface SubmitContext extends CallContext {
  media: MediaAccess;
  /** Where the provider should POST status changes, for adapters with webhooks. */
  webhookUrl?: string;
}

export interface SubmitResult {
  /** Opaque handle: store it before waiting, pass it back to poll/cancel (survives restarts). */
  providerJobId: string;
  /** The provider's own id, the one webhooks carry (often equal to providerJobId). */
  requestId: string;
}

export type ProviderStatus =
  | { state: 'queued' | 'running'; progress?: number; queuePosition?: number }
  | { state: 'succeeded'; videoUrl: string; seed?: number; /** What the provider says it billed, where it says (Seedance: tokens). */ usage?: BilledUsage }
  | { state: 'failed'; reason: string; permanent: boolean; code?: string; safety?: boolean }
  | { state: 'canceled' };

/**
 * canceled: the provider stopped it; requested: it will stop soon (keep polling);
 * too_late: already running/finished and cannot be stopped; unsupported: no cancel API.
 */
export type CancelOutcome = 'canceled' | 'requested' | 'too_late' | 'unsupported';

export interface WebhookEvent {
  requestId: string;
  status: ProviderStatus;
  /** True only when a documented signature was checked; otherwise treat the event as a hint to poll. */
  verified: boolean;
}

export type WebhookResult = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

export interface ProviderAdapter {
  readonly id: string;
  readonly label: string;
  /** Do not poll one job more often than this. */
  readonly minPollIntervalMs: number;
  models(): readonly ModelInfo[];
  /** Producer-readable problems with `req` for one of this provider's models; empty when it fits. */
  validate(req: VideoJobRequest): string[];
  /** Sends one generation; throws ProviderError (permanent, no network call, when validation fails). */
  submit(req: VideoJobRequest, ctx: SubmitContext): Promise<SubmitResult>;
  poll(providerJobId: string, ctx?: CallContext): Promise<ProviderStatus>;
  cancel(providerJobId: string, ctx?: CallContext): Promise<CancelOutcome>;
  /** Fetches the finished clip through the egress checks (credentials only on the provider's own origin). */
  download(videoUrl: string, ctx?: CallContext): Promise<Response>;
  /** The provider's own id inside a providerJobId, to match webhook events. */
  requestIdOf(providerJobId: string): string;
  /** Present when the provider calls back; never throws for a bad body or signature. */
  parseWebhook?(request: Request): Promise<WebhookResult>;
  /** Anything thrown (fetch failure, abort, bug) as a ProviderError with secrets removed. */
  mapError(err: unknown): ProviderError;
}

/** What every adapter factory takes besides its keys. */
export interface ProviderDeps {
  /** Replaces the pinned connection (tests that rewrite answers); the egress checks still run. */
  fetch?: typeof fetch;
  /** Hosts allowed despite their address (EGRESS_ALLOW_HOSTS), a test resolver, the redirect limit. */
  egress?: EgressOptions;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Per-request timeout for API calls (not downloads); default 30 s. */
  requestTimeoutMs?: number;
}

/** Validation of `req` against `model`; re-exported so server code has one import. */
export function validate(req: VideoJobRequest, model: ModelInfo): string[] {
  return validateRequest(req, model);
}
