import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';

/**
 * Login failure throttling kept in the database, so it holds across restarts and across
 * instances. A key (one email, or one client address) that fails too often inside the window
 * is refused until the window ends.
 */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

export const LOGIN_RULES = {
  email: { maxFailures: 5, windowMs: 15 * 60_000 },
  ip: { maxFailures: 30, windowMs: 15 * 60_000 },
} as const satisfies Record<string, ThrottleRule>;

/** Milliseconds until the key may try again, or 0 when it may try now. */
export async function throttleWait(db: Kysely<Database>, clock: Clock, key: string): Promise<number> {
  const row = await db.selectFrom('auth_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  return row ? Math.max(0, row.locked_until - clock.now()) : 0;
}

export async function recordFailure(db: Kysely<Database>, clock: Clock, key: string, rule: ThrottleRule): Promise<void> {
  const now = clock.now();
  const row = await db.selectFrom('auth_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  const fresh = !row || now - row.window_start >= rule.windowMs;
  const failures = fresh ? 1 : row.failures + 1;
  const windowStart = fresh ? now : row.window_start;
  const lockedUntil = failures >= rule.maxFailures ? windowStart + rule.windowMs : 0;
  await db
    .insertInto('auth_throttle')
    .values({ key, failures, window_start: windowStart, locked_until: lockedUntil })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures, window_start: windowStart, locked_until: lockedUntil }))
    .execute();
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}
