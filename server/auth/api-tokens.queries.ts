/** The `api_tokens` table: every statement api-tokens.ts and the token routes run on it. */
import type { Kysely } from 'kysely';
import type { ApiTokensTable, Database } from '../db/schema.js';

export async function insertApiToken(db: Kysely<Database>, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** The token with this secret hash and the account it belongs to, revoked or expired or not. */
export function apiTokenWithUser(db: Kysely<Database>, secretHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.boards', 'api_tokens.access', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at', 'users.email', 'users.name', 'users.city'])
    .where('api_tokens.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export type ApiTokenRow = Omit<ApiTokensTable, 'user_id' | 'secret_hash'>;

/** The user's tokens not revoked (expired ones included, so they can be seen and removed), newest first. */
export function listUserApiTokens(db: Kysely<Database>, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'boards', 'access', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** How many of the user's tokens still work at `now` (neither revoked nor expired). */
export async function countActiveApiTokens(db: Kysely<Database>, userId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes one of the user's live tokens; false when there is no such token of theirs. */
export async function revokeApiToken(db: Kysely<Database>, userId: string, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Of `boardIds`, those the user is a member of, with their titles. */
export function memberBoardTitles(db: Kysely<Database>, userId: string, boardIds: readonly string[]) {
  if (boardIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('board_members')
    .innerJoin('boards', 'boards.id', 'board_members.board_id')
    .select(['boards.id', 'boards.title'])
    .where('board_members.user_id', '=', userId)
    .where('boards.id', 'in', boardIds)
    .execute();
}
