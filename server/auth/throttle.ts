import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { releaseAttempt, reserveAttempt } from './throttle.queries.js';

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
 *   back), per signed-in account and per address; review links' secrets count under the same
 *   per-address key (`linkGuessKey`).
 */
export interface AuthThrottleRules {
  loginEmail: ThrottleRule;
  loginIp: ThrottleRule;
  signupEmail: ThrottleRule;
  signupIp: ThrottleRule;
  inviteUser: ThrottleRule;
  inviteIp: ThrottleRule;
  /** Every API token created, per account (creation is cheap to ask for and each one is a live credential). */
  tokenCreate: ThrottleRule;
}

export const DEFAULT_AUTH_RULES: AuthThrottleRules = {
  loginEmail: { maxFailures: 5, windowMs: 15 * 60_000 },
  loginIp: { maxFailures: 30, windowMs: 15 * 60_000 },
  signupEmail: { maxFailures: 5, windowMs: 60 * 60_000 },
  signupIp: { maxFailures: 100, windowMs: 60 * 60_000 },
  inviteUser: { maxFailures: 10, windowMs: 15 * 60_000 },
  inviteIp: { maxFailures: 30, windowMs: 15 * 60_000 },
  tokenCreate: { maxFailures: 10, windowMs: 60 * 60_000 },
};

/**
 * Takes a slot from each key in turn; when one is refused, gives back those already taken and
 * throws the 429 (`what` says what was tried, with how long to wait). Resolves with the keys held.
 */
export async function reserveAll(db: Kysely<Database>, clock: Clock, entries: readonly (readonly [string, ThrottleRule])[], what: string): Promise<string[]> {
  const held: string[] = [];
  for (const [key, rule] of entries) {
    const r = await reserveAttempt(db, clock.now(), key, rule);
    if (r.ok) {
      held.push(key);
      continue;
    }
    for (const k of held) await releaseAttempt(db, k);
    throw tooMany(what, r.waitMs);
  }
  return held;
}

/** The 429 for `what` (what was tried), saying how long to wait, in words and in Retry-After. */
export function tooMany(what: string, waitMs: number): AppError {
  const seconds = Math.ceil(waitMs / 1000);
  const minutes = Math.ceil(seconds / 60);
  return new AppError('rate_limited', `${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, { headers: { 'Retry-After': String(seconds) } });
}

/**
 * The one per-address key for guessed link secrets: invite links (boards/invites.routes.ts) and
 * review links (review-links/guest.routes.ts) count under it together, with the `inviteIp` rule,
 * so a second kind of link is no second allowance of guesses. (Named `invite-ip` from before
 * review links, so counts stored under it still hold.)
 */
export const linkGuessKey = (address: string) => `invite-ip:${address}`;

/**
 * Opens a secret link (`open`) with a guessing slot held on each key: a secret that works, or
 * one that exists but is closed (expired, revoked: a person's old link, not a guess), gives the
 * slots back; only a secret nobody issued keeps them (`open` throws not_found for it).
 */
export async function openGuessThrottled<T>(
  db: Kysely<Database>,
  clock: Clock,
  entries: readonly (readonly [string, ThrottleRule])[],
  what: string,
  open: () => Promise<T>,
): Promise<T> {
  const held = await reserveAll(db, clock, entries, what);
  let guessed = false;
  try {
    return await open();
  } catch (err) {
    guessed = err instanceof AppError && err.code === 'not_found';
    throw err;
  } finally {
    if (!guessed) for (const k of held) await releaseAttempt(db, k);
  }
}
