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

export async function createSession(db: Kysely<Database>, clock: Clock, userId: string): Promise<{ token: string; session: Session }> {
  const token = newToken();
  const now = clock.now();
  const session: Session = { id: hashToken(token), userId, expiresAt: now + SESSION_TTL_MS };
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: userId, expires_at: session.expiresAt, created_at: now })
    .execute();
  return { token, session };
}

export async function validateSessionToken(db: Kysely<Database>, clock: Clock, token: string): Promise<SessionValidation> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'users.email', 'users.name', 'users.city'])
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
  if (renewed) {
    expiresAt = now + SESSION_TTL_MS;
    await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
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

/** Cookie attributes: HttpOnly keeps the token from scripts, Lax blocks cross-site POSTs. */
export function sessionCookieOptions(publicOrigin: string, expiresAt: number, now: number) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: publicOrigin.startsWith('https:'),
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  };
}
