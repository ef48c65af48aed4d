import type { Clock } from '../lib/clock.js';

/** A token bucket: `perSecond` sustained, `burst` at once. */
export function tokenBucket(clock: Clock, perSecond: number, burst: number) {
  let tokens = burst;
  let last = clock.now();
  return {
    take(n = 1): boolean {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens < n) return false;
      tokens -= n;
      return true;
    },
  };
}
