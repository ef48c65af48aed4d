/**
 * Sessions the Lucia way (lucia-auth.com's guide, since the lucia package itself is deprecated):
 * the cookie holds a random token, the database holds only its SHA-256, expiry slides forward
 * while the session is used, and logout deletes the row.
 */
import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { hashToken, newToken } from '../lib/ids.js';
import type { User } from '../../shared/api.js';
import { insertSession, invalidateSession, sessionWithUser, touchSession } from './sessions.queries.js';

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

/**
 * A new session for `userId`, not yet stored: the token for the cookie, the session, and the row
 * to insert (`insertSession`; sign-up inserts it in the transaction that creates the account).
 * `userAgent`: the request's User-Agent, kept so the user can tell this session from others.
 */
export function newSession(clock: Clock, userId: string, userAgent?: string): { token: string; session: Session; row: SessionsTable } {
  const token = newToken();
  const now = clock.now();
  const session: Session = { id: hashToken(token), userId, expiresAt: now + SESSION_TTL_MS };
  const agent = userAgent?.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim().slice(0, USER_AGENT_MAX) || null;
  return { token, session, row: { id: session.id, user_id: userId, expires_at: session.expiresAt, created_at: now, user_agent: agent, last_seen_at: now } };
}

export async function createSession(db: Kysely<Database>, clock: Clock, userId: string, userAgent?: string): Promise<{ token: string; session: Session }> {
  const { token, session, row } = newSession(clock, userId, userAgent);
  await insertSession(db, row);
  return { token, session };
}

export async function validateSessionToken(db: Kysely<Database>, clock: Clock, token: string): Promise<SessionValidation> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const row = await sessionWithUser(db, id);
  if (!row) return null;
  const now = clock.now();
  if (now >= row.expires_at) {
    await invalidateSession(db, id);
    return null;
  }
  let expiresAt = row.expires_at;
  const renewed = now >= expiresAt - RENEW_WITHIN_MS;
  if (renewed) expiresAt = now + SESSION_TTL_MS;
  const seen = row.last_seen_at === null || now - row.last_seen_at >= SEEN_EVERY_MS;
  if (renewed || seen) await touchSession(db, id, expiresAt, seen ? now : row.last_seen_at);
  return {
    session: { id, userId: row.user_id, expiresAt },
    user: { id: row.user_id, email: row.email, name: row.name, city: row.city },
    renewed,
  };
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
