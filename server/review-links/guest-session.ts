/**
 * Who a guest is: the `takeboard_guest` cookie (HttpOnly, only sent to /api/guest, SameSite
 * Strict) names a guest session, which lives only while its review link does. Every guest
 * request looks the link up again, so revoking a link ends its guests' next request (the review
 * page asks every few seconds) and an expired one stops at its hour, each with a plain 401.
 * Every guest request also counts against its link's request allowance: an in-memory token
 * bucket per link (lib/rate-buckets.ts), so a media range costs no database write.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { reserveAll, tooMany, type ThrottleRule } from '../auth/throttle.js';
import { SEEN_EVERY_MS } from '../auth/sessions.js';
import { hashToken } from '../lib/ids.js';
import { rateBuckets, type BucketRule } from '../lib/rate-buckets.js';
import { guestByTokenHash, touchReviewLink } from './review-links.queries.js';

export const GUEST_COOKIE = 'takeboard_guest';
/** The cookie goes to the guest routes only: never to member routes, the socket or the app pages. */
export const GUEST_COOKIE_PATH = '/api/guest';

/** Per-link allowances: every guest of a link shares them. */
export interface ReviewLinkRules {
  /**
   * Every guest request through the link (pages, media ranges, polls): `max` at once, `max` per
   * window sustained. Counted in memory, per instance (a restart starts the link afresh).
   */
  requests: BucketRule;
  /** Comments left through the link (counted in the database, as comments are written anyway). */
  comments: ThrottleRule;
}

export const DEFAULT_REVIEW_LINK_RULES: ReviewLinkRules = {
  // A guest's page asks every 5 s (12 a minute) plus its media ranges: 50 guests on one link stay well inside.
  requests: { max: 1200, windowMs: 60_000 },
  comments: { maxFailures: 30, windowMs: 10 * 60_000 },
};

export interface Guest {
  /** The guest session's public id: the author of its comments. */
  id: string;
  name: string;
  linkId: string;
  boardId: string;
  expiresAt: number;
  /** The board is archived: guests still watch, but cannot comment. */
  archived: boolean;
}

export interface GuestEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { guest: Guest };
}

export function guestCookieOptions(publicOrigin: string, expiresAt: number, now: number) {
  return {
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: publicOrigin.startsWith('https:'),
    path: GUEST_COOKIE_PATH,
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  };
}

/** The plain 401 for a link that no longer works (also used when a guest first opens it). */
export function linkClosed(link: { revoked_at: number | null; expires_at: number }, now: number): AppError | null {
  if (link.revoked_at !== null) return new AppError('unauthorized', 'This review link was revoked by the board owner');
  if (now >= link.expires_at) return new AppError('unauthorized', `This review link expired on ${new Date(link.expires_at).toISOString()}; ask the board owner for a new one`);
  return null;
}

/** Counts one comment through the link; a 429 with Retry-After once the link used them all. */
export function throttleComments(deps: AppDeps, linkId: string, rule: ThrottleRule): Promise<string[]> {
  return reserveAll(deps.db, deps.clock, [[`review-link-comments:${linkId}`, rule]], 'Too many comments through this review link');
}

/** Each link's request allowance (`ReviewLinkRules.requests`), one bucket per link. */
export function linkRequests(deps: AppDeps, rule: BucketRule) {
  const buckets = rateBuckets(deps.clock, rule);
  return {
    /** Counts one request through the link; throws the 429 (with Retry-After) once it used them all. */
    count(linkId: string): void {
      const r = buckets.take(linkId);
      if (!r.ok) throw tooMany('Too many requests through this review link', r.waitMs);
    },
  };
}
export type LinkRequests = ReturnType<typeof linkRequests>;

/** Requires a live guest session; sets `c.get('guest')`. Members' sessions count for nothing here. */
export function requireGuest(deps: AppDeps, requests: LinkRequests): MiddlewareHandler<GuestEnv> {
  return async (c, next) => {
    const token = getCookie(c, GUEST_COOKIE);
    if (!token) throw new AppError('unauthorized', 'Open the review link you were sent, and type your name, to review this board');
    const row = await guestByTokenHash(deps.db, hashToken(token));
    if (!row) throw new AppError('unauthorized', 'This review session is not valid any more; open the review link again');
    const now = deps.clock.now();
    const closed = linkClosed(row, now);
    if (closed) throw closed;
    requests.count(row.link_id);
    if (row.last_used_at === null || now - row.last_used_at >= SEEN_EVERY_MS) await touchReviewLink(deps.db, row.link_id, now);
    c.set('guest', { id: row.id, name: row.name, linkId: row.link_id, boardId: row.board_id, expiresAt: row.expires_at, archived: row.archived_at !== null });
    await next();
  };
}

