import { describe, expect, it } from 'vitest';
import type { ModelInfo, VideoJobRequest } from '../../../shared/generation';
import { estimate } from '../board/detail/request';
import { usd } from './format';

describe('usd: the client shows money from integer micro-dollars', () => {
  it('groups dollars and rounds to the cent from the integer', () => {
    expect(usd(0)).toBe('$0.00');
    expect(usd(290_000)).toBe('$0.29');
    expect(usd(1_512_000)).toBe('$1.51');
    expect(usd(1_005_000)).toBe('$1.01'); // a float 1.005 shows as $1.00
    expect(usd(1_234_567_890_000)).toBe('$1,234,567.89');
    expect(usd(-3_310_000)).toBe('-$3.31');
  });
});

describe('the Generate box estimate', () => {
  const req = (model: string, durationSec: number) => ({ model, mode: 'text', durationSec, aspectRatio: '16:9' }) as VideoJobRequest;
  it('is the price per second times the seconds, exact in micro-dollars', () => {
    const seedance = { id: 'fal:seedance-2.0', microUsdPerSecond: 302_400 } as ModelInfo;
    expect(estimate(req('fal:seedance-2.0', 5), seedance)).toBe(1_512_000);
    expect(estimate(req('fal:seedance-2.0', 7), { ...seedance, microUsdPerSecond: null })).toBeNull(); // no price known: no guess
    expect(estimate(req('someone:unknown', 5), undefined)).toBeNull();
  });
});
