import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';

/**
 * Failure throttling kept in the database, so it holds across restarts and across
 * instances. A key (one email, or one client address) that fails too often inside the window
 * is refused until the window ends.
 *
 * Every attempt takes a slot *before* its password is checked, in one atomic upsert: checking
 * first and counting after the (slow, by design) password hash would let a burst of parallel
 * guesses all pass the check before any of them is counted. A login that succeeds gives its
 * slot back.
 */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

/**
 * Every guessable door, per account and per client address (see http/client-address.ts):
 * - login: failed logins (a success gives its slot back);
 * - signup: every sign-up, whether or not the email was free (counting only taken ones would
 *   itself tell which emails exist); generous per address, since a team signs up from one office;
 * - invite: invite links that turned out unknown, revoked or expired (a used one gives its slot
 *   back), per signed-in account and per address.
 */
export interface AuthThrottleRules {
  loginEmail: ThrottleRule;
  loginIp: ThrottleRule;
  signupEmail: ThrottleRule;
  signupIp: ThrottleRule;
  inviteUser: ThrottleRule;
  inviteIp: ThrottleRule;
}

export const DEFAULT_AUTH_RULES: AuthThrottleRules = {
  loginEmail: { maxFailures: 5, windowMs: 15 * 60_000 },
  loginIp: { maxFailures: 30, windowMs: 15 * 60_000 },
  signupEmail: { maxFailures: 5, windowMs: 60 * 60_000 },
  signupIp: { maxFailures: 100, windowMs: 60 * 60_000 },
  inviteUser: { maxFailures: 10, windowMs: 15 * 60_000 },
  inviteIp: { maxFailures: 30, windowMs: 15 * 60_000 },
};

export type Reservation = { ok: true } | { ok: false; waitMs: number };

/**
 * Counts one attempt for `key`; refuses it (with how long to wait) when the key already used
 * every attempt of its current window. A window that has ended starts afresh.
 */
export async function reserveAttempt(db: Kysely<Database>, clock: Clock, key: string, rule: ThrottleRule): Promise<Reservation> {
  const now = clock.now();
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
    .set({ failures: sql`max(failures - 1, 0)`, locked_until: 0 })
    .where('key', '=', key)
    .execute();
}

/** Milliseconds until the key may try again, or 0 when it may try now. */
export async function throttleWait(db: Kysely<Database>, clock: Clock, key: string): Promise<number> {
  const row = await db.selectFrom('auth_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  return row ? Math.max(0, row.locked_until - clock.now()) : 0;
}

/** Rewrites `key`'s row unchanged: one committed write that alters nothing (sign-up's equal cost). */
export async function touchAttempt(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('auth_throttle').set({ failures: sql`failures` }).where('key', '=', key).execute();
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

/**
 * Takes a slot from each key in turn; when one is refused, gives back those already taken and
 * throws the 429 (`what` says what was tried, with how long to wait). Resolves with the keys held.
 */
export async function reserveAll(db: Kysely<Database>, clock: Clock, entries: readonly (readonly [string, ThrottleRule])[], what: string): Promise<string[]> {
  const held: string[] = [];
  for (const [key, rule] of entries) {
    const r = await reserveAttempt(db, clock, key, rule);
    if (r.ok) {
      held.push(key);
      continue;
    }
    for (const k of held) await releaseAttempt(db, k);
    const seconds = Math.ceil(r.waitMs / 1000);
    const minutes = Math.ceil(seconds / 60);
    throw new AppError('rate_limited', `${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, { headers: { 'Retry-After': String(seconds) } });
  }
  return held;
}
