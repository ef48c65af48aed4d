/** HTTP API shapes shared by the server and the client. Field names are spelled once, here. */
import type { StaleAccepted } from './doc/index.js';
import type { JobEta, JobView, ModelInfo } from './generation/index.js';

/**
 * Board roles, most powerful first. A viewer watches; a commenter (a reviewer) also comments,
 * resolves their own threads and approves takes; an editor edits shots and references and
 * generates; an owner also manages members, invites and the board itself.
 */
export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
/** Roles an invite may grant: ownership is handed over explicitly, never by link. */
export const INVITE_ROLES = ['editor', 'commenter', 'viewer'] as const satisfies readonly Role[];
export type InviteRole = (typeof INVITE_ROLES)[number];

const ROLE_RANK: Record<Role, number> = { viewer: 1, commenter: 2, editor: 3, owner: 4 };

/** True when `role` grants at least what `needed` grants (owner > editor > commenter > viewer). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'invalid_field',
  'unauthorized',
  'forbidden',
  'origin_forbidden',
  'not_found',
  'conflict',
  'gone',
  'payload_too_large',
  'unsupported_media_type',
  'over_budget',
  'rate_limited',
  'storage_full',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Every error answer has this body. `field` names the offending input field when there is one. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

export interface User {
  id: string;
  email: string;
  name: string;
  city: string | null;
}

/** One of the caller's sessions (GET /api/auth/sessions): a browser that is logged in as them. */
export interface SessionInfo {
  /** Pass to DELETE /api/auth/sessions/:id to end it. */
  id: string;
  /** "Chrome on macOS", or "Unknown device" when the browser did not say. */
  device: string;
  userAgent: string | null;
  createdAt: string;
  /** Last request made with it (to the minute). */
  lastSeenAt: string;
  expiresAt: string;
  /** The session making this request. */
  current: boolean;
}

export interface BoardSummary {
  id: string;
  title: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
  /** Set while the board is archived: read-only for everyone until an owner restores it. */
  archivedAt: string | null;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  city: string | null;
  role: Role;
  joinedAt: string;
}

/**
 * What lands in a person's inbox: someone @mentioned them in a comment; someone commented on a
 * take they had commented on (a reply); a take on a shot assigned to them finished or failed; the
 * board's spend passed its warning share of the budget (owners); a take made from their note
 * ("Regenerate from note", by someone else) finished or failed; a guest commented through a
 * review link (the shot's assignee and the owners).
 */
export const NOTIFICATION_KINDS = ['mention', 'reply', 'take_succeeded', 'take_failed', 'budget', 'note_take_succeeded', 'note_take_failed', 'guest_comment'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One inbox entry (GET /api/notifications). Links open `/boards/:boardId?shot=&take=&t=`. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  boardId: string;
  boardTitle: string;
  /** Who caused it; null for the server's own (takes, budget) and for guests (named in `text`). */
  actor: { id: string; name: string } | null;
  shotId: string | null;
  takeId: string | null;
  commentId: string | null;
  /** The comment's time in the take, in seconds. */
  atSec: number | null;
  text: string;
  createdAt: string;
  readAt: string | null;
}

/** GET /api/notifications and the answers of the mark-read routes. */
export interface NotificationList {
  items: NotificationView[];
  /** Unread entries in all of the user's boards (the top bar's count). */
  unread: number;
}

/** The `unread` event of GET /api/notifications/events: sent on connect and on every change. */
export interface UnreadEvent {
  unread: number;
}

export interface Invite {
  id: string;
  role: InviteRole;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface CreatedInvite extends Invite {
  token: string;
  url: string;
}

/** What anyone holding an invite link may learn before accepting it. */
export interface InvitePreview {
  boardTitle: string;
  role: InviteRole;
  expiresAt: string;
}

/** Personal access tokens (GET/POST /api/auth/tokens): what each may do, and how a secret starts. */
export const API_TOKEN_ACCESS = ['read', 'write'] as const;
export type ApiTokenAccess = (typeof API_TOKEN_ACCESS)[number];
export const API_TOKEN_PREFIX = 'tb_pat_';
export const API_TOKENS_MAX_ACTIVE = 20;
export const API_TOKEN_MAX_DAYS = 365;

/** One of the caller's tokens as GET /api/auth/tokens lists it; the secret is never in it. */
export interface ApiTokenInfo {
  /** Pass to DELETE /api/auth/tokens/:id to revoke it. */
  id: string;
  name: string;
  /** 'all': every board the owner is a member of, now and later. A board left since has a null title. */
  boards: 'all' | { id: string; title: string | null }[];
  access: ApiTokenAccess;
  createdAt: string;
  lastUsedAt: string | null;
  /** Null: never expires. */
  expiresAt: string | null;
  expired: boolean;
}

/** What POST /api/auth/tokens answers: the secret, shown this once. */
export interface ApiTokenCreated {
  token: ApiTokenInfo;
  secret: string;
}

export const LIMITS = {
  passwordMinLength: 10,
  passwordMaxLength: 256,
  nameMaxLength: 80,
  cityMaxLength: 80,
  boardTitleMaxLength: 200,
  jsonBodyMaxBytes: 1_000_000,
} as const;

export const ASSET_KINDS = ['image', 'video', 'audio'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** What an upload answers and what GET /api/boards/:boardId/assets lists. */
export interface Asset {
  id: string;
  kind: AssetKind;
  mime: string;
  bytes: number;
  sha256: string;
  width: number;
  height: number;
  durationSec?: number;
  /** For uploads, the original file name (made safe); generated files carry internal names. */
  name: string;
  /** upload: by a person; take: a generated clip; derived: a take's poster, tail or stills. */
  origin: AssetOrigin;
  createdAt: string;
}

export const ASSET_ORIGINS = ['upload', 'take', 'derived'] as const;
export type AssetOrigin = (typeof ASSET_ORIGINS)[number];

/** What an `export` SSE event carries; also the body of a 202 while a sequence is building. */
export interface ExportStatus {
  /** The content key of the build: the same key is the same file. */
  id: string;
  kind: 'sequence.mp4';
  status: 'running' | 'succeeded' | 'failed';
  /** 0..1 */
  progress: number;
  error?: string;
  /** Where to fetch it (the same URL that was asked). */
  url: string;
}

/** The files under /api/boards/:boardId/export/. */
export type ExportFile = 'sequence.mp4' | 'sequence.json' | 'timeline.otio' | 'sequence.edl' | 'sequence.fcpxml' | 'shots.csv' | 'shots.html';

/**
 * One entry of GET /api/boards/:boardId/jobs: the job, its place in the instance's queue (queued
 * jobs), and for open jobs when it should be done, measured from recent jobs of its model. A chain
 * batch's take waiting for the take it continues has `waitsFor` (that take's job, take and shot)
 * instead of a place: it joins the queue when that take finishes, and its `eta` counts from then.
 */
export type JobListEntry = JobView & { queuePosition?: number; eta?: JobEta; waitsFor?: { jobId: string; takeId: string; shotId: string } };

/** What POST /api/boards/:boardId/shots/:shotId/keep-anyway answers: the take kept as it is, and against what. */
export interface KeepAnywayResponse {
  staleAccepted: StaleAccepted;
}

/** One entry of GET /api/models: a model's capabilities and price, and whether this server can run it (if not, why). */
export type ModelListEntry = ModelInfo & { available: boolean; reason?: string };

/** What POST /api/boards creates (also POST /api/boards/:boardId/duplicate): the new board, yours to own. */
export interface CreatedBoard {
  id: string;
  title: string;
  role: Role;
}

/** What DELETE /api/auth/sessions answers: how many of your other sessions it ended. */
export interface EndedSessions {
  ended: number;
}

/** What POST /api/invites/:token/accept answers: the board joined and the role held there now. */
export interface AcceptedInvite {
  boardId: string;
  role: Role;
}

/* ---- shot history ---- */

/**
 * Fields a shot's history names: its text fields, the plain fields people pick, its references,
 * and 'created' (from '' to the first title).
 */
export const SHOT_CHANGE_FIELDS = [
  'created', 'title', 'prompt', 'camera', 'notes', 'mode', 'durationSec', 'model', 'shotSize',
  'startFrame', 'endFrame', 'continuesFrom', 'status', 'assignee', 'selectedTake', 'refs',
  // The shot's continuity-bible overrides (shared/doc `bible:<role>`) and its place in the cut
  // (left out of the sequence, the transition into it) as an accepted timeline import sets them.
  'bible:character', 'bible:location', 'bible:style', 'bible:voice', 'leftOut', 'fadeInSec',
] as const;
export type ShotChangeField = (typeof SHOT_CHANGE_FIELDS)[number];

/**
 * One entry of GET /api/boards/:boardId/shots/:shotId/history (newest first). One person's
 * typing in one field within a few minutes is one entry: `before` as it was when they started,
 * `after` as they left it. Plain fields hold their value as text (an id, a number); `refs` the
 * reference ids, comma-separated.
 */
export interface ShotChangeEntry {
  id: number;
  field: ShotChangeField;
  userId: string;
  /** The person's name now; '' when the account is gone. */
  userName: string;
  before: string;
  after: string;
  /** Longer than the stored bound and cut: shown, never restored. */
  truncated: boolean;
  /** When the entry started and when it last changed (ISO). */
  startedAt: string;
  changedAt: string;
}

/** What GET /api/boards/:boardId/shots/:shotId/history answers. */
export interface ShotHistory {
  changes: ShotChangeEntry[];
}
