/**
 * Kysely table types: today's schema as the app sees it. Migrations never import this file
 * (they are frozen in time on Kysely<any>). Times are integer milliseconds since the epoch.
 */
import type { Generated } from 'kysely';
import type { AssetOrigin, Role, InviteRole, NotificationKind } from '../../shared/api.js';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  city: string | null;
  password_hash: string;
  created_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the session token, hex: the token itself is never stored. */
  id: string;
  user_id: string;
  expires_at: number;
  created_at: number;
  /** The User-Agent that logged in (bounded, control characters removed); null for older sessions. */
  user_agent: string | null;
  /** Last request made with it, to the minute (sessions.ts `SEEN_EVERY_MS`); null until first used after the migration. */
  last_seen_at: number | null;
}

export interface BoardsTable {
  id: string;
  title: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** When its owner archived it (read-only, hidden from the list by default); null while active. */
  archived_at: number | null;
}

export interface BoardMembersTable {
  board_id: string;
  user_id: string;
  role: Role;
  created_at: number;
}

export interface InvitesTable {
  id: string;
  /** SHA-256 of the invite token, hex. */
  token_hash: string;
  board_id: string;
  role: InviteRole;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface AuthThrottleTable {
  /** 'email:<normalised email>' or 'ip:<address>' */
  key: string;
  failures: number;
  window_start: number;
  locked_until: number;
}

export interface DocUpdatesTable {
  seq: Generated<number>;
  board_id: string;
  data: Uint8Array;
  created_at: number;
}

export interface DocSnapshotsTable {
  board_id: string;
  data: Uint8Array;
  /** Every log entry with seq <= upto_seq is folded into this snapshot. */
  upto_seq: number;
  updated_at: number;
}

export interface AssetsTable {
  id: string;
  board_id: string;
  sha256: string;
  kind: 'image' | 'video' | 'audio';
  mime: string;
  bytes: number;
  width: number;
  height: number;
  duration_sec: number | null;
  fps: number | null;
  /** A display name, already made safe; never used as a storage path. */
  name: string;
  /** upload: by a person; take: a generated clip; derived: posters, tails, last frames. */
  origin: AssetOrigin;
  poster_sha256: string | null;
  created_by: string | null;
  created_at: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface JobsTable {
  id: string;
  board_id: string;
  shot_id: string;
  take_id: string;
  created_by: string;
  model: string;
  provider: string;
  status: JobStatus;
  /** 'submitting' while a paid submission may be in flight: never blindly repeated after a crash. */
  phase: 'submitting' | 'submitted' | null;
  /** JSON VideoJobRequest: exactly what is sent. */
  request: string;
  /** JSON ResolvedInputs: where each input came from (references, versions, the chained tail). */
  resolved: string;
  /** JSON JobResult once succeeded. */
  result: string | null;
  /** Integer micro-dollars (shared/money.ts), as every money column. */
  estimate_micro_usd: number;
  cost_micro_usd: number | null;
  seed: number | null;
  idempotency_key: string | null;
  attempts: number;
  max_attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  provider_job_id: string | null;
  cancel_requested: number;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  /** The status last written into the take in the board document (take-mirror.ts); behind when it differs from `status`. */
  doc_status: JobStatus | null;
}

export interface CostLedgerTable {
  job_id: string;
  board_id: string;
  shot_id: string;
  amount_micro_usd: number;
  created_at: number;
}

/** One entry of a person's inbox (server/notifications/). */
export interface NotificationsTable {
  id: string;
  user_id: string;
  board_id: string;
  kind: NotificationKind;
  /** Who caused it (the commenter); null for the server's own (a take finished, a budget warning). */
  actor_id: string | null;
  shot_id: string | null;
  take_id: string | null;
  comment_id: string | null;
  /** Where in the take the comment is pinned, in seconds. */
  at_sec: number | null;
  /** What the inbox shows: a comment's words, a take's error, the budget figures. */
  text: string;
  created_at: number;
  read_at: number | null;
}

/** A member's presence colour on a board: a palette slot, the smallest free when first seen. */
export interface PresenceColoursTable {
  board_id: string;
  user_id: string;
  slot: number;
}

/** How one chained cut holds, per pair of takes (see the seam_scores migration). */
export interface SeamScoresTable {
  upstream_take_id: string;
  downstream_take_id: string;
  board_id: string;
  upstream_shot_id: string;
  downstream_shot_id: string;
  status: 'scored' | 'not-scored';
  score: number | null;
  ssim: number | null;
  colour_distance: number | null;
  motion: number | null;
  /** Why it could not be scored (status 'not-scored'). */
  why: string | null;
  scored_at: number;
}

/** One entry of a shot's history (see the shot_changes migration). */
export interface ShotChangesTable {
  id: Generated<number>;
  board_id: string;
  shot_id: string;
  field: string;
  user_id: string;
  before_text: string;
  after_text: string;
  /** 1 when before or after was cut to the stored bound. */
  truncated: number;
  created_at: number;
  changed_at: number;
}

/** Personal access tokens (migrations/2026_12_07_120000_api_tokens.ts). */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  /** SHA-256 of the secret, hex: the secret itself is shown once and never stored. */
  secret_hash: string;
  name: string;
  /** JSON array of board ids, or null for every board the owner is a member of. */
  boards: string | null;
  access: 'read' | 'write';
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

/** An outgoing webhook endpoint of a board (see the outgoing_webhooks migration). */
export interface WebhookEndpointsTable {
  id: string;
  board_id: string;
  url: string;
  /** JSON array of WebhookEvent. */
  events: string;
  secret: string;
  /** The secret `secret` replaced at the last rotation, still signing until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: number | null;
  created_by: string | null;
  created_at: number;
}

/** One event queued for one endpoint; retried until it succeeds or runs out of attempts. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  board_id: string;
  event: string;
  body: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  /** Pending: when the next attempt is due. Finished: when the last attempt ended (the log is pruned by it). */
  next_attempt_at: number;
  created_at: number;
}

/** What one delivery attempt got back. */
export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: number;
  status_code: number | null;
  error: string | null;
  body_excerpt: string | null;
  duration_ms: number;
}

/** Guest review links (migrations/2026_12_07_190000_review_links.ts). */
export interface ReviewLinksTable {
  id: string;
  board_id: string;
  /** SHA-256 of the link's secret, hex: the secret is shown to the owner once and never stored. */
  secret_hash: string;
  /** Null once the account that made it is gone. */
  created_by: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** Last guest request through it, to the minute. */
  last_used_at: number | null;
}

/** A guest who typed a name on a review link; their cookie's secret is kept hashed. */
export interface GuestSessionsTable {
  /** Public id: the author of this guest's comments in the board document. */
  id: string;
  token_hash: string;
  link_id: string;
  name: string;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  boards: BoardsTable;
  board_members: BoardMembersTable;
  invites: InvitesTable;
  auth_throttle: AuthThrottleTable;
  doc_updates: DocUpdatesTable;
  doc_snapshots: DocSnapshotsTable;
  assets: AssetsTable;
  jobs: JobsTable;
  cost_ledger: CostLedgerTable;
  notifications: NotificationsTable;
  presence_colours: PresenceColoursTable;
  shot_changes: ShotChangesTable;
  seam_scores: SeamScoresTable;
  api_tokens: ApiTokensTable;
  review_links: ReviewLinksTable;
  guest_sessions: GuestSessionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}
