/** The `auth_throttle` table: one row per throttled key (an email, an address, an account). */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ThrottleRule } from './throttle.js';

export type Reservation = { ok: true } | { ok: false; waitMs: number };

/**
 * Counts one attempt for `key`; refuses it (with how long to wait) when the key already used
 * every attempt of its current window. A window that has ended starts afresh.
 */
export async function reserveAttempt(db: Kysely<Database>, now: number, key: string, rule: ThrottleRule): Promise<Reservation> {
  const fresh = sql<boolean>`${now} - auth_throttle.window_start >= ${rule.windowMs}`;
  const row = await db
    .insertInto('auth_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: rule.maxFailures <= 1 ? now + rule.windowMs : 0 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when ${fresh} then 1 else auth_throttle.failures + 1 end`,
        window_start: sql`case when ${fresh} then ${now} else auth_throttle.window_start end`,
        locked_until: sql`case when (case when ${fresh} then 1 else auth_throttle.failures + 1 end) >= ${rule.maxFailures}
          then (case when ${fresh} then ${now} else auth_throttle.window_start end) + ${rule.windowMs} else 0 end`,
      }),
    )
    .returning(['failures', 'window_start'])
    .executeTakeFirstOrThrow();
  if (row.failures <= rule.maxFailures) return { ok: true };
  return { ok: false, waitMs: Math.max(1, row.window_start + rule.windowMs - now) };
}

/** Gives back the slot of an attempt that turned out not to be a failure. */
export async function releaseAttempt(db: Kysely<Database>, key: string): Promise<void> {
  await db
    .updateTable('auth_throttle')
    // CASE, not max(a, b): SQLite has no GREATEST and PostgreSQL no two-argument max.
    .set({ failures: sql`case when failures > 0 then failures - 1 else 0 end`, locked_until: 0 })
    .where('key', '=', key)
    .execute();
}

/** Rewrites `key`'s row unchanged: one committed write that alters nothing (sign-up's equal cost). */
export async function touchAttempt(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('auth_throttle').set({ failures: sql`failures` }).where('key', '=', key).execute();
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

