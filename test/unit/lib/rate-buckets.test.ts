/** In-memory token buckets per key: the allowance at once, refilled evenly, the wait when empty, idle keys dropped. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../server/lib/clock.js';
import { rateBuckets } from '../../../server/lib/rate-buckets.js';

describe('rateBuckets', () => {
  it('gives `max` at once per key, then one per window/max, saying how long until the next', () => {
    const clock = manualClock(1_000_000);
    const b = rateBuckets(clock, { max: 4, windowMs: 60_000 });
    expect([1, 2, 3, 4, 5].map(() => b.take('link-a').ok)).toEqual([true, true, true, true, false]);
    expect(b.take('link-a')).toEqual({ ok: false, waitMs: 15_000 });
    // Another key is untouched.
    expect(b.take('link-b').ok).toBe(true);
    clock.advance(14_999);
    expect(b.take('link-a').ok).toBe(false);
    clock.advance(1);
    expect(b.take('link-a').ok).toBe(true);
    expect(b.take('link-a')).toEqual({ ok: false, waitMs: 15_000 });
    // Refilled to `max`, never beyond.
    clock.advance(10 * 60_000);
    expect([1, 2, 3, 4, 5].map(() => b.take('link-a').ok)).toEqual([true, true, true, true, false]);
  });

  it('forgets keys left alone for a whole window (they would be full again anyway)', () => {
    const clock = manualClock(0);
    const b = rateBuckets(clock, { max: 2, windowMs: 1_000 });
    for (let i = 0; i < 100; i++) b.take(`guest-${i}`);
    expect(b.size).toBe(100);
    clock.advance(1_000);
    b.take('late');
    expect(b.size).toBe(1);
  });
});
