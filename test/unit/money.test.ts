import { describe, expect, it } from 'vitest';
import { isMicroUsd, microUsdFromLegacyUsd, parseUsd, usdCents, usdDecimal, usdText } from '../../shared/money.js';

describe('money: typed dollars to micro-dollars without a float', () => {
  it('reads each digit exactly', () => {
    expect(parseUsd('0.29')).toBe(290_000);
    expect(parseUsd('0.3')).toBe(300_000);
    expect(parseUsd('1.512')).toBe(1_512_000);
    expect(parseUsd(' $120.5 ')).toBe(120_500_000);
    expect(parseUsd('.5')).toBe(500_000);
    expect(parseUsd('7.')).toBe(7_000_000);
    expect(parseUsd('0.000001')).toBe(1);
    // A billion dollars less a micro-dollar is the most that can be typed: still a safe integer.
    expect(parseUsd('999999999.999999')).toBe(999_999_999_999_999);
    expect(Number.isSafeInteger(parseUsd('999999999.999999'))).toBe(true);
  });

  it('refuses what is not an amount of dollars, 0 or more, to the micro-dollar', () => {
    for (const bad of ['', '-3', '+3', 'lots', '1,200', '1e3', '0.0000001', '1.2.3', 'Infinity', 'NaN', '$', '.', '1 000', '1000000000']) {
      expect(parseUsd(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('money: shown from integers, never through a float division', () => {
  it('writes the exact decimal for files (at least cents, no trailing zeros past them)', () => {
    expect(usdDecimal(290_000)).toBe('0.29');
    expect(usdDecimal(300_000)).toBe('0.30');
    expect(usdDecimal(1_512_000)).toBe('1.512');
    expect(usdDecimal(302_400)).toBe('0.3024');
    expect(usdDecimal(5_000_000)).toBe('5.00');
    expect(usdDecimal(0)).toBe('0.00');
    expect(usdDecimal(1)).toBe('0.000001');
    expect(usdDecimal(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991');
  });

  it('rounds to the cent with halves away from zero, in integers', () => {
    expect(usdText(5_000)).toBe('$0.01');
    expect(usdText(4_999)).toBe('$0.00');
    expect(usdText(1_005_000)).toBe('$1.01'); // a float 1.005.toFixed(2) gives "1.00"
    expect(usdText(1_512_000)).toBe('$1.51');
    expect(usdText(-1_500_000)).toBe('-$1.50');
    expect(usdText(-4_000)).toBe('$0.00');
    expect(usdCents(123_456_789_000)).toEqual({ negative: false, dollars: 123_456, cents: '79' });
  });
});

describe('money: legacy float dollars are rounded once', () => {
  it('turns float sums into the integer they meant', () => {
    expect(microUsdFromLegacyUsd(0.1 + 0.2)).toBe(300_000);
    expect(microUsdFromLegacyUsd(0.3024 * 5)).toBe(1_512_000);
    expect(microUsdFromLegacyUsd(1.2)).toBe(1_200_000);
  });

  it('knows a stored amount when it sees one', () => {
    expect(isMicroUsd(290_000)).toBe(true);
    expect(isMicroUsd(0)).toBe(true);
    for (const bad of [0.29, -1, Number.NaN, Infinity, '1', null, 2 ** 53]) expect(isMicroUsd(bad)).toBe(false);
  });
});
