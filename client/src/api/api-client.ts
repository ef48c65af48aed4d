/**
 * The typed HTTP client for the Takeboard API. One instance per app; it owns an AbortController
 * so dispose() cancels whatever is still in flight (e.g. when the app unmounts in a test).
 */
import type {
  AcceptedInvite,
  ApiTokenAccess,
  ApiTokenCreated,
  ApiTokenInfo,
  Asset,
  BoardSummary,
  CreatedBoard,
  CreatedInvite,
  EndedSessions,
  ErrorBody,
  ErrorCode,
  ExportFile,
  ExportStatus,
  Invite,
  InvitePreview,
  InviteRole,
  JobListEntry,
  KeepAnywayResponse,
  Member,
  ModelListEntry,
  NotificationList,
  Role,
  SessionInfo,
  ShotHistory,
  User,
} from '../../../shared/api';
import type { BatchEnqueueResponse, ChainBatchResponse, CostReport, EnqueueResponse } from '../../../shared/generation';
import type { SeamList } from '../../../shared/seams';
import type { TimelineImportDiff, TimelineImportResult } from '../../../shared/timeline-import';
import { uploadWithProgress, type UploadProgress } from './upload';
import type { WebhookDeliveryView, WebhookEndpointCreated, WebhookEndpointView, WebhookEvent } from '../../../shared/webhooks';
import type { GuestBoardView, GuestComment, GuestIdentity, ReviewLinkCreated, ReviewLinkInfo, ReviewLinkPreview } from '../../../shared/review-links';

/** What a request that never reached the server says, whatever the browser called it. */
export const NETWORK_MESSAGE = 'Could not reach the server: check your connection and try again.';

/** A failed request, carrying the server's error code (or `network` when it never answered). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** Where a stitched sequence stands: its file exists, or a build is running (progress as SSE `export` events). */
export type SequenceRequest =
  | { state: 'ready'; url: string; skippedShotIds: string[] }
  | { state: 'building'; url: string; skippedShotIds: string[]; status: ExportStatus };

export interface ApiClientOptions {
  /** Prefix for every path; '' means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** Creates the API client. Every method rejects with an ApiError on a non-2xx answer. */
export function createApiClient(opts: ApiClientOptions = {}) {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const aborter = new AbortController();

  /** A same-origin request; a server that never answered becomes ApiError('network'). */
  async function request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(url, { ...init, credentials: 'same-origin', signal: aborter.signal });
    } catch (err) {
      // The browser's own words ("Failed to fetch", "NetworkError when attempting…") say nothing to a producer.
      throw new ApiError(0, 'network', NETWORK_MESSAGE, undefined, { cause: err });
    }
  }

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const res = await request(base + path, init);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) throw toApiError(res.status, json);
    return json as T;
  }

  const enc = encodeURIComponent;
  return {
    me: () => call<User>('GET', '/api/me'),
    /** Sets the city teammates see next to my name (null clears it). */
    setCity: (city: string | null) => call<User>('PATCH', '/api/auth/profile', { city }),
    signup: (b: { email: string; password: string; name: string; city?: string }) => call<User>('POST', '/api/auth/signup', b),
    login: (b: { email: string; password: string }) => call<User>('POST', '/api/auth/login', b),
    logout: () => call<void>('POST', '/api/auth/logout', {}),
    sessions: () => call<SessionInfo[]>('GET', '/api/auth/sessions'),
    endSession: (id: string) => call<void>('DELETE', `/api/auth/sessions/${enc(id)}`),
    endOtherSessions: () => call<EndedSessions>('DELETE', '/api/auth/sessions'),
    apiTokens: () => call<ApiTokenInfo[]>('GET', '/api/auth/tokens'),
    /** The answer holds the secret: the only time it is ever shown. */
    createApiToken: (b: { name: string; boards: 'all' | string[]; access: ApiTokenAccess; expiresInDays: number | null }) => call<ApiTokenCreated>('POST', '/api/auth/tokens', b),
    revokeApiToken: (id: string) => call<void>('DELETE', `/api/auth/tokens/${enc(id)}`),

    /** The user's boards; archived ones too when `archived` is true. */
    boards: (archived = false) => call<BoardSummary[]>('GET', `/api/boards${archived ? '?archived=include' : ''}`),
    createBoard: (title: string) => call<CreatedBoard>('POST', '/api/boards', { title }),
    board: (id: string) => call<BoardSummary>('GET', `/api/boards/${enc(id)}`),
    renameBoard: (id: string, title: string) => call<BoardSummary>('PATCH', `/api/boards/${enc(id)}`, { title }),
    deleteBoard: (id: string) => call<void>('DELETE', `/api/boards/${enc(id)}`),
    /** Archives (read-only, hidden from the list) or restores a board; owners only. */
    setArchived: (id: string, archived: boolean) => call<BoardSummary>('PATCH', `/api/boards/${enc(id)}`, { archived }),
    /** A new board of mine with the board's settings, references and shots, without takes or comments. */
    duplicateBoard: (id: string, title: string) => call<CreatedBoard>('POST', `/api/boards/${enc(id)}/duplicate`, { title }),
    costs: (id: string) => call<CostReport>('GET', `/api/boards/${enc(id)}/costs`),
    costLedgerUrl: (id: string) => `${base}/api/boards/${enc(id)}/costs.csv`,

    members: (id: string) => call<Member[]>('GET', `/api/boards/${enc(id)}/members`),
    setMemberRole: (id: string, userId: string, role: Role) =>
      call<Member>('PATCH', `/api/boards/${enc(id)}/members/${enc(userId)}`, { role }),
    removeMember: (id: string, userId: string) => call<void>('DELETE', `/api/boards/${enc(id)}/members/${enc(userId)}`),

    invites: (id: string) => call<Invite[]>('GET', `/api/boards/${enc(id)}/invites`),
    /** Outgoing webhooks (owners): endpoints, one's delivery log; the secret comes only in create's answer. */
    webhooks: (id: string) => call<WebhookEndpointView[]>('GET', `/api/boards/${enc(id)}/webhooks`),
    createWebhook: (id: string, url: string, events: WebhookEvent[]) => call<WebhookEndpointCreated>('POST', `/api/boards/${enc(id)}/webhooks`, { url, events }),
    deleteWebhook: (id: string, endpointId: string) => call<void>('DELETE', `/api/boards/${enc(id)}/webhooks/${enc(endpointId)}`),
    webhookDeliveries: (id: string, endpointId: string) => call<WebhookDeliveryView[]>('GET', `/api/boards/${enc(id)}/webhooks/${enc(endpointId)}/deliveries`),
    editWebhook: (id: string, endpointId: string, b: { url?: string; events?: WebhookEvent[] }) => call<WebhookEndpointView>('PATCH', `/api/boards/${enc(id)}/webhooks/${enc(endpointId)}`, b),
    /** The new secret comes only in this answer; the old one keeps signing until `previousSecretUntil`. */
    rotateWebhookSecret: (id: string, endpointId: string) => call<WebhookEndpointCreated>('POST', `/api/boards/${enc(id)}/webhooks/${enc(endpointId)}/rotate-secret`),
    resendWebhookDelivery: (id: string, endpointId: string, deliveryId: string) =>
      call<{ id: string; status: 'pending' }>('POST', `/api/boards/${enc(id)}/webhooks/${enc(endpointId)}/deliveries/${enc(deliveryId)}/resend`),
    /** Guest review links (owners); the secret comes only in create's answer. */
    reviewLinks: (id: string) => call<ReviewLinkInfo[]>('GET', `/api/boards/${enc(id)}/review-links`),
    createReviewLink: (id: string, expiresInHours: number) => call<ReviewLinkCreated>('POST', `/api/boards/${enc(id)}/review-links`, { expiresInHours }),
    revokeReviewLink: (id: string, linkId: string) => call<void>('DELETE', `/api/boards/${enc(id)}/review-links/${enc(linkId)}`),
    /** A guest's side of a review link (no account: the guest cookie, scoped to /api/guest). */
    guestPreview: (secret: string) => call<ReviewLinkPreview>('GET', `/api/guest/links/${enc(secret)}`),
    guestJoin: (secret: string, name: string) => call<GuestIdentity>('POST', '/api/guest/session', { secret, name }),
    guestBoard: () => call<GuestBoardView>('GET', '/api/guest/board'),
    guestComment: (b: { shotId: string; takeId: string; atSec: number; text: string }) => call<GuestComment>('POST', '/api/guest/comments', b),
    guestAssetUrl: (assetId: string) => `${base}/api/guest/assets/${enc(assetId)}`,
    guestPosterUrl: (assetId: string) => `${base}/api/guest/assets/${enc(assetId)}/poster`,
    createInvite: (id: string, role: InviteRole) => call<CreatedInvite>('POST', `/api/boards/${enc(id)}/invites`, { role }),
    revokeInvite: (id: string, inviteId: string) => call<void>('DELETE', `/api/boards/${enc(id)}/invites/${enc(inviteId)}`),
    previewInvite: (token: string) => call<InvitePreview>('GET', `/api/invites/${enc(token)}`),
    acceptInvite: (token: string) => call<AcceptedInvite>('POST', `/api/invites/${enc(token)}/accept`, {}),

    assets: (id: string) => call<Asset[]>('GET', `/api/boards/${enc(id)}/assets`),
    uploadAsset: (id: string, file: File, onProgress?: (p: UploadProgress) => void) =>
      uploadWithProgress<Asset>(`${base}/api/boards/${enc(id)}/assets`, file, aborter.signal, onProgress).then(
        (r) => (r.ok ? r.body : Promise.reject(toApiError(r.status, r.body))),
        (err) => Promise.reject(err instanceof DOMException && err.name === 'AbortError' ? err : new ApiError(0, 'network', NETWORK_MESSAGE)),
      ),
    models: () => call<ModelListEntry[]>('GET', '/api/models'),
    jobs: (id: string) => call<JobListEntry[]>('GET', `/api/boards/${enc(id)}/jobs`),
    generate: (id: string, shotId: string, b: { model?: string; idempotencyKey?: string; confirmUnpriced?: boolean }) =>
      call<EnqueueResponse>('POST', `/api/boards/${enc(id)}/shots/${enc(shotId)}/generate`, b),
    /** `count` takes of the shot, each with its own seed: all queued, or none (budget, price). */
    generateBatch: (id: string, shotId: string, b: { model?: string; idempotencyKey?: string; confirmUnpriced?: boolean; count: number }) =>
      call<BatchEnqueueResponse>('POST', `/api/boards/${enc(id)}/shots/${enc(shotId)}/generate-batch`, b),
    /** "Regenerate from note": a new take of the comment's shot with its text added to the prompt (editors). */
    regenerateFromNote: (id: string, commentId: string, b: { model?: string; idempotencyKey?: string; confirmUnpriced?: boolean }) =>
      call<EnqueueResponse & { shotId: string }>('POST', `/api/boards/${enc(id)}/comments/${enc(commentId)}/regenerate`, b),
    /** `count` takes of the shot and of every shot continuing from it, take k continuing take k upstream: all queued, or none. */
    generateChainBatch: (id: string, shotId: string, b: { idempotencyKey?: string; confirmUnpriced?: boolean; count: number }) =>
      call<ChainBatchResponse>('POST', `/api/boards/${enc(id)}/shots/${enc(shotId)}/generate-chain-batch`, b),
    cancelJob: (jobId: string) => call<void>('POST', `/api/jobs/${enc(jobId)}/cancel`, {}),
    /** Keeps a stale chained take as it is; the ids are what the caller saw (409 if the chain moved on). */
    keepAnyway: (id: string, shotId: string, seen: { takeId?: string; upstreamTakeId?: string }) =>
      call<KeepAnywayResponse>('POST', `/api/boards/${enc(id)}/shots/${enc(shotId)}/keep-anyway`, seen),

    /** A timeline file brought back from an edit suite, against the board's sequence (writes nothing). */
    timelineImport: (id: string, file: string) => call<TimelineImportDiff>('POST', `/api/boards/${enc(id)}/timeline-import`, { file }),
    /** Writes the accepted changes of that file ("all", or by id). */
    timelineAccept: (id: string, file: string, accept: 'all' | string[]) =>
      call<TimelineImportResult>('POST', `/api/boards/${enc(id)}/timeline-import/accept`, { file, accept }),

    /** Every chained cut with its seam score (scored, not scored with why, or pending). */
    seams: (id: string) => call<SeamList>('GET', `/api/boards/${enc(id)}/seams`),

    /** Who changed what on a shot, newest first (any member). */
    shotHistory: (id: string, shotId: string) =>
      call<ShotHistory>('GET', `/api/boards/${enc(id)}/shots/${enc(shotId)}/history`).then((r) => r.changes),

    /** URL of an asset's bytes (images, clips) for <img>/<video>. */
    assetUrl: (assetId: string) => `${base}/api/assets/${enc(assetId)}`,
    /** URL of a still for an asset (a video's poster frame). */
    posterUrl: (assetId: string) => `${base}/api/assets/${enc(assetId)}/poster`,
    eventsUrl: (id: string) => `${base}/api/boards/${enc(id)}/events`,

    /** The inbox across all my boards, newest first, with the unread count. */
    notifications: () => call<NotificationList>('GET', '/api/notifications'),
    markNotificationsRead: (ids: string[]) => call<NotificationList>('POST', '/api/notifications/read', { ids }),
    markAllNotificationsRead: () => call<NotificationList>('POST', '/api/notifications/read-all'),
    /** SSE: `unread` events ({ unread }) whenever my count changes. */
    notificationEventsUrl: () => `${base}/api/notifications/events`,
    exportUrl: (id: string, file: ExportFile | 'events', query = '') => `${base}/api/boards/${enc(id)}/export/${file}${query}`,
    /**
     * Asks for the stitched sequence without downloading it (`Prefer: respond-async`): ready when
     * the file exists, else the build it started. The board's own trim/crossfade settings apply;
     * `query` may override them (`?trimOverlap=1`), which the app itself does not do.
     */
    async requestSequence(id: string, query: string): Promise<SequenceRequest> {
      const url = `${base}/api/boards/${enc(id)}/export/sequence.mp4${query}`;
      const res = await request(url, { headers: { prefer: 'respond-async' } });
      const skippedShotIds = (res.headers.get('x-takeboard-skipped-shots') ?? '').split(',').filter(Boolean);
      if (res.status === 200) {
        await res.body?.cancel(); // the file is there; the browser downloads it from the link
        return { state: 'ready', url, skippedShotIds };
      }
      const json = safeJson(await res.text());
      if (res.status === 202) return { state: 'building', url, skippedShotIds, status: json as ExportStatus };
      throw toApiError(res.status, json);
    },

    dispose: () => aborter.abort(),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, json: unknown): ApiError {
  const err = (json as Partial<ErrorBody> | undefined)?.error;
  if (err && typeof err.message === 'string') return new ApiError(status, err.code, err.message, err.field);
  return new ApiError(status, status === 404 ? 'not_found' : 'internal', `The server answered ${status}`);
}
