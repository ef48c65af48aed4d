import { describe, expect, it } from 'vitest';
import type { TakeView } from '../../../../shared/doc';
import { ago } from '../../ui/format';
import { takeNumber } from './take-number';

const take = (number?: number) => ({ ...(number !== undefined ? { number } : {}) }) as TakeView;

describe('take numbers', () => {
  it('uses the recorded number, and numbers older takes without one by creation order', () => {
    const takes = [take(), take(), take(3), take(5)];
    expect(takes.map((_, i) => takeNumber(takes, i))).toEqual([1, 2, 3, 5]);
  });
});

describe('relative times on take cards', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  it.each([
    ['2026-12-06T11:59:40Z', 'just now'],
    ['2026-12-06T11:56:00Z', '4 min ago'],
    ['2026-12-06T09:00:00Z', '3 h ago'],
    ['2026-12-04T12:00:00Z', '2 d ago'],
    ['not a time', ''],
  ])('%s is "%s"', (iso, words) => expect(ago(iso, now)).toBe(words));
});
