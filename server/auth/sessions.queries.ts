/** The `sessions` table: every statement sessions.ts and the auth routes run on it. */
import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../db/schema.js';

export async function insertSession(db: Kysely<Database>, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session with this id (a token's hash) and the account it belongs to, expired or not. */
export function sessionWithUser(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'sessions.last_seen_at', 'users.email', 'users.name', 'users.city'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

/** Slides a session's expiry and/or records when it was last used. */
export async function touchSession(db: Kysely<Database>, id: string, expiresAt: number, lastSeenAt: number | null): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt, last_seen_at: lastSeenAt }).where('id', '=', id).execute();
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
export type SessionRow = Omit<SessionsTable, 'user_id'>;

/** The user's sessions that have not expired at `now`, most recently used first. */
export function listUserSessions(db: Kysely<Database>, now: number, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
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
