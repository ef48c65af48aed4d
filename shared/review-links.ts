/**
 * Guest review links as the API and the client see them: the owner's list (never the secret,
 * except once in the answer that created it), and what a guest reads and writes through one.
 * A guest sees the sequence and the finished takes with their comments; never members, emails,
 * prompts, costs or anything else of the board.
 */
import type { SequencePlan } from './sequence/plan.js';

/** How long a link may live, in hours (the owner picks; the settings offer 1, 7 and 30 days). */
export const REVIEW_LINK_MIN_HOURS = 1;
export const REVIEW_LINK_MAX_HOURS = 90 * 24;
export const REVIEW_LINK_DEFAULT_HOURS = 7 * 24;
/** Active links one board may hold. */
export const MAX_REVIEW_LINKS = 20;
/** A guest's typed name, in characters. */
export const MAX_GUEST_NAME_CHARS = 60;
/** Different guests (names typed) one link may have: past it, the owner makes another link. */
export const MAX_GUESTS_PER_LINK = 50;
/** A guest's comment, in characters. */
export const MAX_GUEST_COMMENT_CHARS = 2000;

/** A link as its board's owners list it. */
export interface ReviewLinkInfo {
  id: string;
  /** Who made it (null once that account is gone). */
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  expiresAt: string;
  /** When a guest last used it (to the minute), null when never. */
  lastUsedAt: string | null;
  /** Names typed on it so far. */
  guests: number;
  expired: boolean;
}

/** The answer that made a link: the only time its secret (inside `url`) is shown. */
export interface ReviewLinkCreated extends ReviewLinkInfo {
  secret: string;
  url: string;
}

/** What the name prompt shows before a guest joins. */
export interface ReviewLinkPreview {
  /** The link's id: the page compares it with the session's, to know whether its cookie is for this link. */
  linkId: string;
  boardTitle: string;
  expiresAt: string;
}

/** A guest's session, as `POST /api/guest/session` and the board view give it. */
export interface GuestIdentity {
  /** The guest's id: the author of their comments. */
  id: string;
  name: string;
  expiresAt: string;
  /** The review link this session came through. */
  linkId: string;
}

/** A finished take a guest may watch. */
export interface GuestTake {
  id: string;
  number?: number;
  durationSec: number;
  /** Asset ids, served to the guest under /api/guest/assets/. */
  clip: string;
  poster?: string;
  createdAt: string;
}

export interface GuestShot {
  id: string;
  /** 1-based position on the board. */
  number: number;
  title: string;
  selectedTake?: string;
  takes: GuestTake[];
}

/** A comment as a guest reads it: members are "Team", never named; guests by the name they typed. */
export interface GuestComment {
  id: string;
  shotId: string;
  takeId?: string;
  atSec?: number;
  text: string;
  createdAt: string;
  author: string;
  guest: boolean;
  /** Written by this guest. */
  mine: boolean;
}

/** Everything the guest review page shows (`GET /api/guest/board`). */
export interface GuestBoardView {
  board: { title: string; aspectRatio: string };
  you: GuestIdentity;
  /** The board is archived: watch only, comments closed. */
  readOnly: boolean;
  plan: SequencePlan;
  shots: GuestShot[];
  comments: GuestComment[];
}
