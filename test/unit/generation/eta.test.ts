import { describe, expect, it } from 'vitest';
import { ETA_WINDOW, formatSeconds, jobEta, median, priorSec, queueFinishSec, renderTime } from '../../../shared/generation/index.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
  it('ignores values that are not durations', () => {
    expect(median([NaN, -1, 5, Infinity])).toBe(5);
  });
});

describe('renderTime', () => {
  it('uses the prior until something was measured: seconds for the animatic, minutes for hosted models', () => {
    expect(renderTime('animatic', [])).toEqual({ sec: priorSec('animatic'), basis: 'prior', samples: 0 });
    expect(priorSec('animatic')).toBeLessThanOrEqual(3);
    expect(priorSec('fal')).toBeGreaterThanOrEqual(60);
    expect(priorSec('some-new-provider')).toBeGreaterThanOrEqual(60);
  });
  it('is the median of the most recent window, newest first: one stuck job does not skew it', () => {
    expect(renderTime('animatic', [1.2, 1.4, 300, 1.3, 1.1])).toEqual({ sec: 1.3, basis: 'measured', samples: 5 });
    const recent = [...Array(ETA_WINDOW).fill(2), ...Array(20).fill(100)];
    expect(renderTime('fal', recent).sec).toBe(2);
  });
});

describe('jobEta', () => {
  const typical = { sec: 1.3, basis: 'measured' as const, samples: 4 };
  it('queued: place in its provider queue times the typical time', () => {
    expect(jobEta({ status: 'queued', providerPosition: 3 }, typical).finishInSec).toBe(3.9);
    expect(jobEta({ status: 'queued' }, typical).finishInSec).toBe(1.3);
  });
  it('queued: in rounds when the provider renders several at once', () => {
    expect(jobEta({ status: 'queued', providerPosition: 3, slots: 2 }, typical).finishInSec).toBe(2.6);
    expect(jobEta({ status: 'queued', providerPosition: 4, slots: 2 }, typical).finishInSec).toBe(2.6);
    expect(jobEta({ status: 'queued', providerPosition: 1, slots: 0 }, typical).finishInSec).toBe(1.3);
    // Behind two running jobs with two slots, the next queued job finishes in the second round.
    expect(jobEta({ status: 'queued', providerPosition: 1, running: 2, slots: 2 }, typical).finishInSec).toBe(2.6);
  });
  it('running: what is left of the typical time, never negative', () => {
    expect(jobEta({ status: 'running', runningForSec: 0.5 }, typical).finishInSec).toBe(0.8);
    expect(jobEta({ status: 'running', runningForSec: 9 }, typical).finishInSec).toBe(0);
  });
  it('waiting (a chain batch’s take): the take it continues finishes first, then its own typical time', () => {
    expect(jobEta({ status: 'waiting', upstreamFinishSec: 3.9 }, typical).finishInSec).toBe(5.2);
    expect(jobEta({ status: 'waiting' }, typical).finishInSec).toBe(1.3);
  });
  it('the queue is done when its last job is', () => {
    expect(queueFinishSec([jobEta({ status: 'queued', providerPosition: 2 }, typical), undefined, jobEta({ status: 'running', runningForSec: 1 }, typical)])).toBe(2.6);
    expect(queueFinishSec([])).toBe(0);
  });
});

describe('formatSeconds', () => {
  it('never rounds a 1.3 s render up to a minute', () => {
    expect(formatSeconds(1.3)).toBe('1.3 s');
    expect(formatSeconds(0.04)).toBe('0 s');
    expect(formatSeconds(9.96)).toBe('10 s');
    expect(formatSeconds(45.4)).toBe('45 s');
  });
  it('minutes, hours and days read naturally', () => {
    expect(formatSeconds(60)).toBe('1 min 00 s');
    expect(formatSeconds(125)).toBe('2 min 05 s');
    expect(formatSeconds(3600 + 20 * 60)).toBe('1 h 20 min');
    expect(formatSeconds(2 * 86400 + 3 * 3600)).toBe('2 d 3 h');
    expect(formatSeconds(NaN)).toBe('–');
  });
});
