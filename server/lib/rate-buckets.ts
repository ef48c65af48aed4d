import type { Clock } from './clock.js';

/** What a key gets: `max` at once, refilled evenly over `windowMs` (so `max` per window sustained). */
export interface BucketRule {
  max: number;
  windowMs: number;
}

export type Taken = { ok: true } | { ok: false; waitMs: number };

/**
 * Token buckets kept in memory, one per key (a review link, an address): for allowances checked
 * on every request, where a database write per request would cost more than what it guards.
 * Held per instance and forgotten at a restart, so they suit request rates, not guessing
 * (guesses are counted in the database: auth/throttle.ts). A bucket left alone for a whole
 * window is full again, i.e. the same as none: such buckets are dropped as keys come and go, so
 * the map holds only keys used within the last window.
 */
export function rateBuckets(clock: Clock, rule: BucketRule) {
  const perMs = rule.max / rule.windowMs;
  const buckets = new Map<string, { tokens: number; last: number }>();
  let sweptAt = clock.now();

  function sweep(now: number) {
    sweptAt = now;
    for (const [key, b] of buckets) if (now - b.last >= rule.windowMs) buckets.delete(key);
  }

  return {
    /** Takes one token of `key`'s bucket; when it has none, how long until it has one. */
    take(key: string): Taken {
      const now = clock.now();
      // A clock stepped back would otherwise put the next sweep off until it caught up.
      if (now < sweptAt || now - sweptAt >= rule.windowMs) sweep(now);
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { tokens: rule.max, last: now }));
      b.tokens = Math.min(rule.max, b.tokens + Math.max(0, now - b.last) * perMs);
      b.last = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, waitMs: Math.max(1, Math.ceil((1 - b.tokens) / perMs)) };
    },
    /** Keys held now (tests, and to see the sweep work). */
    get size() {
      return buckets.size;
    },
  };
}
