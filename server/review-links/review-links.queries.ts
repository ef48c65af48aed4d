/** The `review_links` and `guest_sessions` tables. */
import type { Kysely } from 'kysely';
import type { Database, GuestSessionsTable, ReviewLinksTable } from '../db/schema.js';

export async function insertReviewLink(db: Kysely<Database>, row: ReviewLinksTable): Promise<void> {
  await db.insertInto('review_links').values(row).execute();
}

/** A board's links that are not revoked (expired ones too, marked by the caller), newest first, with their maker's name and guest count. */
export function activeLinksOf(db: Kysely<Database>, boardId: string) {
  return db
    .selectFrom('review_links')
    .leftJoin('users', 'users.id', 'review_links.created_by')
    .selectAll('review_links')
    .select('users.name as creator_name')
    .select((eb) => eb.selectFrom('guest_sessions').whereRef('guest_sessions.link_id', '=', 'review_links.id').select((e) => e.fn.countAll<number>().as('n')).as('guests'))
    .where('review_links.board_id', '=', boardId)
    .where('review_links.revoked_at', 'is', null)
    .orderBy('review_links.created_at', 'desc')
    .execute();
}

/** How many of the board's links are neither revoked nor expired. */
export async function countLiveLinks(db: Kysely<Database>, boardId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('review_links')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('board_id', '=', boardId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes one of the board's links; false when it is not the board's or was revoked already. */
export async function revokeReviewLink(db: Kysely<Database>, boardId: string, linkId: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('review_links')
    .set({ revoked_at: now })
    .where('id', '=', linkId)
    .where('board_id', '=', boardId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** The link whose secret hashes to `secretHash`, with its board's title; revoked and expired ones too. */
export function linkBySecretHash(db: Kysely<Database>, secretHash: string) {
  return db
    .selectFrom('review_links')
    .innerJoin('boards', 'boards.id', 'review_links.board_id')
    .selectAll('review_links')
    .select('boards.title as board_title')
    .where('review_links.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

/** The guest session whose cookie hashes to `tokenHash`, with its link. */
export function guestByTokenHash(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('guest_sessions')
    .innerJoin('review_links', 'review_links.id', 'guest_sessions.link_id')
    .innerJoin('boards', 'boards.id', 'review_links.board_id')
    .select([
      'boards.archived_at',
      'guest_sessions.id',
      'guest_sessions.name',
      'guest_sessions.link_id',
      'review_links.board_id',
      'review_links.expires_at',
      'review_links.revoked_at',
      'review_links.last_used_at',
    ])
    .where('guest_sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function countGuests(db: Kysely<Database>, linkId: string): Promise<number> {
  const row = await db.selectFrom('guest_sessions').select((e) => e.fn.countAll<number>().as('n')).where('link_id', '=', linkId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertGuestSession(db: Kysely<Database>, row: GuestSessionsTable): Promise<void> {
  await db.insertInto('guest_sessions').values(row).execute();
}

export async function touchReviewLink(db: Kysely<Database>, linkId: string, now: number): Promise<void> {
  await db.updateTable('review_links').set({ last_used_at: now }).where('id', '=', linkId).execute();
}
