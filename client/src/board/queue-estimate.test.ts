import { describe, expect, it } from 'vitest';
import type { JobListEntry } from '../../../shared/api';
import { beforeDeadline, queueEstimate, secondsLeft } from './queue-estimate';

const eta = (finishInSec: number, basis: 'measured' | 'prior' = 'measured') => ({ finishInSec, typicalSec: 1.3, basis, samples: basis === 'measured' ? 4 : 0 });

describe('queue estimate on the board', () => {
  const jobs: Pick<JobListEntry, 'id' | 'status' | 'eta'>[] = [
    { id: 'a', status: 'running', eta: eta(0.8) },
    { id: 'b', status: 'queued', eta: eta(3.9) },
    { id: 'c', status: 'succeeded' },
  ];
  it('is done when the last open job is, counted from when the list was answered', () => {
    expect(queueEstimate(jobs, 10_000)).toEqual({ open: 2, finishInSec: 3.9, fetchedAt: 10_000, doneAt: 13_900, guessed: false });
    expect(queueEstimate([{ id: 'c', status: 'succeeded' }], 0)).toMatchObject({ open: 0, finishInSec: 0 });
    expect(queueEstimate(null, 0)).toBeUndefined();
    expect(queueEstimate([{ id: 'd', status: 'queued', eta: eta(120, 'prior') }], 0)?.guessed).toBe(true);
  });
  it('counts down, and a clock reading from before the answer adds nothing', () => {
    expect(secondsLeft(3.9, 10_000, 11_000)).toBeCloseTo(2.9);
    expect(secondsLeft(3.9, 10_000, 9_400)).toBe(3.9);
    expect(secondsLeft(3.9, 10_000, 20_000)).toBe(0);
  });
  it('says whether the queue finishes before the sprint ends', () => {
    const est = queueEstimate(jobs, Date.parse('2026-12-01T10:00:00Z'));
    expect(beforeDeadline(est, '2026-12-01T10:00:05Z')).toBe(true);
    expect(beforeDeadline(est, '2026-12-01T10:00:02Z')).toBe(false);
    expect(beforeDeadline(est, undefined)).toBeUndefined();
    expect(beforeDeadline(queueEstimate([], 0), '2026-12-01T10:00:02Z')).toBeUndefined();
  });
});
