import { describe, expect, it } from 'vitest';
import { burndown, countTicks } from './burndown-model';

const H = 3_600_000;

describe('burndown', () => {
  it('steps down at each approval and projects the rate so far to the deadline', () => {
    // 10 shots over 10 hours; 4 approved in the first 4 hours: at 1 per hour, 0 open by the end.
    const b = burndown({ start: 0, end: 10 * H, now: 4 * H, total: 10, approvedAt: [3 * H, 1 * H, 2 * H, 4 * H] })!;
    expect(b.open).toBe(6);
    expect(b.steps.map((s) => s.open)).toEqual([10, 9, 8, 7, 6]);
    expect(b.steps.map((s) => s.at)).toEqual([0, H, 2 * H, 3 * H, 4 * H]);
    expect(b.projection).toEqual({ open: 0, allDoneAt: 10 * H });
  });

  it('projects what stays open when the rate is too slow', () => {
    const b = burndown({ start: 0, end: 10 * H, now: 5 * H, total: 10, approvedAt: [H] })!;
    expect(b.projection?.open).toBe(8);
  });

  it('has no projection once the deadline passed, and the axis runs to now', () => {
    const b = burndown({ start: 0, end: 10 * H, now: 12 * H, total: 2, approvedAt: [] })!;
    expect(b.projection).toBeNull();
    expect(b.axisEnd).toBe(12 * H);
  });

  it('draws nothing without a valid sprint or shots', () => {
    expect(burndown({ start: NaN, end: H, now: 0, total: 3, approvedAt: [] })).toBeNull();
    expect(burndown({ start: H, end: 0, now: 0, total: 3, approvedAt: [] })).toBeNull();
    expect(burndown({ start: 0, end: H, now: 0, total: 0, approvedAt: [] })).toBeNull();
  });

  it('ticks whole shots up to the total', () => {
    expect(countTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(7)).toEqual([0, 2, 4, 6, 7]);
  });
});
