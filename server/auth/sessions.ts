/**
 * Sessions the Lucia way (lucia-auth.com's guide, since the lucia package itself is deprecated):
 * the cookie holds a random token, the database holds only its SHA-256, expiry slides forward
 * while the session is used, and logout deletes the row.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { hashToken, newToken } from '../lib/ids.js';
import type { User } from '../../shared/api.js';

export const SESSION_COOKIE = 'takeboard_session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Past half its life a used session is renewed, so active users are never logged out. */
const RENEW_WITHIN_MS = SESSION_TTL_MS / 2;

export interface Session {
  id: string;
  userId: string;
  expiresAt: number;
}

export type SessionValidation = { session: Session; user: User; renewed: boolean } | null;

/** How stale `last_seen_at` may get: a session used all day writes it once a minute, not per request. */
export const SEEN_EVERY_MS = 60_000;
const USER_AGENT_MAX = 256;

/** `userAgent`: the request's User-Agent, kept so the user can tell this session from others. */
export async function createSession(db: Kysely<Database>, clock: Clock, userId: string, userAgent?: string): Promise<{ token: string; session: Session }> {
  const token = newToken();
  const now = clock.now();
  const session: Session = { id: hashToken(token), userId, expiresAt: now + SESSION_TTL_MS };
  const agent = userAgent?.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim().slice(0, USER_AGENT_MAX) || null;
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: userId, expires_at: session.expiresAt, created_at: now, user_agent: agent, last_seen_at: now })
    .execute();
  return { token, session };
}

export async function validateSessionToken(db: Kysely<Database>, clock: Clock, token: string): Promise<SessionValidation> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'sessions.last_seen_at', 'users.email', 'users.name', 'users.city'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = clock.now();
  if (now >= row.expires_at) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  let expiresAt = row.expires_at;
  const renewed = now >= expiresAt - RENEW_WITHIN_MS;
  if (renewed) expiresAt = now + SESSION_TTL_MS;
  const seen = row.last_seen_at === null || now - row.last_seen_at >= SEEN_EVERY_MS;
  if (renewed || seen) {
    await db.updateTable('sessions').set({ expires_at: expiresAt, last_seen_at: seen ? now : row.last_seen_at }).where('id', '=', id).execute();
  }
  return {
    session: { id, userId: row.user_id, expiresAt },
    user: { id: row.user_id, email: row.email, name: row.name, city: row.city },
    renewed,
  };
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Deletes every session of a user; returns the ids that were deleted. */
export async function invalidateUserSessions(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).returning('id').execute();
  return rows.map((r) => r.id);
}

/** One of a user's live sessions, as GET /api/auth/sessions lists it. */
export interface SessionRow {
  id: string;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number | null;
  expires_at: number;
}

/** The user's sessions that have not expired, most recently used first. */
export function listUserSessions(db: Kysely<Database>, clock: Clock, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', clock.now())
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Deletes one session if it is this user's; false when there is no such session of theirs. */
export async function invalidateOwnSession(db: Kysely<Database>, userId: string, sessionId: string): Promise<boolean> {
  const rows = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).returning('id').execute();
  return rows.length > 0;
}

/** Deletes every session of a user but `keep` (the one asking); returns the ids deleted. */
export async function invalidateOtherSessions(db: Kysely<Database>, userId: string, keep: string): Promise<string[]> {
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keep).returning('id').execute();
  return rows.map((r) => r.id);
}

/**
 * Cookie attributes: HttpOnly keeps the token from scripts, Lax blocks cross-site POSTs, Secure
 * when the app is reached over https. PUBLIC_ORIGIN is the one statement of how people reach
 * the app (the origin check holds every request to it), so it decides; a forwarded-proto header
 * is never consulted, since nothing here knows which proxy may be trusted to set it.
 */
export function sessionCookieOptions(publicOrigin: string, expiresAt: number, now: number) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: publicOrigin.startsWith('https:'),
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  };
}
