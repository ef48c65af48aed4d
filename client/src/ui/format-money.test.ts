import { describe, expect, it } from 'vitest';
import type { PriceEstimate } from '../../../shared/generation';
import { chainTotal } from '../board/generation/estimate';
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

describe("a chain's total", () => {
  it('adds the known estimates exactly and names the shots with no price known', () => {
    const known = (totalMicroUsd: number, unverified = false) => ({ known: true, model: 'm', formula: 'per_second', totalMicroUsd, parts: [], rate: '', asOf: '2026-08', unverified }) as PriceEstimate;
    const total = chainTotal([
      { title: 'Dolly in', estimate: known(1_512_000) },
      { title: 'Close-up', estimate: known(302_400, true) },
      { title: 'Reveal', estimate: { known: false, model: 'x', reason: 'no price known' } },
    ]);
    expect(total).toEqual({ shots: 3, knownMicroUsd: 1_814_400, unpriced: ['Reveal'], unverified: true });
    expect(usd(total.knownMicroUsd)).toBe('$1.81');
  });
});
