import type { Kysely } from 'kysely';
import type { Database, SessionsTable, UsersTable } from '../db/schema.js';
import type { User } from '../../shared/api.js';
import { insertSession } from './sessions.queries.js';
import { touchAttempt } from './throttle.queries.js';

export function toUser(row: Pick<UsersTable, 'id' | 'email' | 'name' | 'city'>): User {
  return { id: row.id, email: row.email, name: row.name, city: row.city };
}

/** Display names (never emails) of these users, by id, members of a board or not (comment authors, mentions). */
export async function userNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function findUserByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Inserts a user; returns null when the email is taken (the unique index decides, not a race-prone pre-check). */
export async function insertUser(db: Kysely<Database>, row: UsersTable): Promise<User | null> {
  const inserted = await db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id', 'email', 'name', 'city'])
    .executeTakeFirst();
  return inserted ? toUser(inserted) : null;
}

/** Sets the city teammates see next to the user's name (null: none; a time zone's city is shown). */
export async function setCity(db: Kysely<Database>, userId: string, city: string | null): Promise<User> {
  const row = await db.updateTable('users').set({ city }).where('id', '=', userId).returning(['id', 'email', 'name', 'city']).executeTakeFirstOrThrow();
  return toUser(row);
}

/**
 * Sign-up's one synced commit: the new account with its first session; or, when the email is
 * taken, the attempt's throttle row (`throttleKey`) rewritten instead, so both answers take as
 * long. Null when the email was taken (nothing of the account is touched).
 */
export function insertAccount(db: Kysely<Database>, user: UsersTable, session: SessionsTable, throttleKey: string): Promise<User | null> {
  return db.transaction().execute(async (tx) => {
    const created = await insertUser(tx, user);
    if (created) await insertSession(tx, session);
    else await touchAttempt(tx, throttleKey);
    return created;
  });
}
