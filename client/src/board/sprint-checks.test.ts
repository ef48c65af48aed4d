import { describe, expect, it } from 'vitest';
import { readSprintForm } from './sprint-checks';

describe('readSprintForm', () => {
  it('writes valid settings, empty fields clear them', () => {
    const r = readSprintForm({ start: '2026-12-01T09:00', end: '2026-12-05T18:00', budget: '120.5' });
    expect(r.patch).toMatchObject({ budgetMicroUsd: 120_500_000 });
    expect(Date.parse(r.patch!.sprintEnd!)).toBeGreaterThan(Date.parse(r.patch!.sprintStart!));
    expect(readSprintForm({ start: '', end: '', budget: '' }).patch).toEqual({ sprintStart: null, sprintEnd: null, budgetMicroUsd: null });
  });
  it('reads typed dollars into exact micro-dollars (no float on the way)', () => {
    const budget = (typed: string) => readSprintForm({ start: '', end: '', budget: typed }).patch?.budgetMicroUsd;
    // Number('0.29') * 1e6 is 290000.00000000006 and Number('0.57') * 100 is 56.99999999999999.
    expect(budget('0.29')).toBe(290_000);
    expect(budget('0.57')).toBe(570_000);
    expect(budget('1.005')).toBe(1_005_000);
    expect(budget('0')).toBe(0);
  });
  it('refuses each bad field by name with what it accepts, and writes nothing', () => {
    const r = readSprintForm({ start: '2026-12-05T09:00', end: '2026-12-01T09:00', budget: '-3' });
    expect(r.patch).toBeUndefined();
    expect(r.errors).toEqual({ end: 'Sprint end: after the sprint start', budget: 'Budget: an amount in US dollars, 0 or more (empty for no budget)' });
    expect(readSprintForm({ start: 'soon', end: '', budget: 'lots' }).errors).toMatchObject({ start: expect.stringMatching(/^Sprint start:/), budget: expect.stringMatching(/^Budget:/) });
    for (const typed of ['1e3', '0.0000001', '1,200', 'Infinity']) expect(readSprintForm({ start: '', end: '', budget: typed }).errors?.budget, typed).toMatch(/^Budget:/);
  });
});
