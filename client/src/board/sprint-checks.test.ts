import { describe, expect, it } from 'vitest';
import { readSprintForm } from './sprint-checks';

describe('readSprintForm', () => {
  it('writes valid settings, empty fields clear them', () => {
    const r = readSprintForm({ start: '2026-12-01T09:00', end: '2026-12-05T18:00', budget: '120.5' });
    expect(r.patch).toMatchObject({ budgetUsd: 120.5 });
    expect(Date.parse(r.patch!.sprintEnd!)).toBeGreaterThan(Date.parse(r.patch!.sprintStart!));
    expect(readSprintForm({ start: '', end: '', budget: '' }).patch).toEqual({ sprintStart: null, sprintEnd: null, budgetUsd: null });
  });
  it('refuses each bad field by name with what it accepts, and writes nothing', () => {
    const r = readSprintForm({ start: '2026-12-05T09:00', end: '2026-12-01T09:00', budget: '-3' });
    expect(r.patch).toBeUndefined();
    expect(r.errors).toEqual({ end: 'Sprint end: after the sprint start', budget: 'Budget: an amount in US dollars, 0 or more (empty for no budget)' });
    expect(readSprintForm({ start: 'soon', end: '', budget: 'lots' }).errors).toMatchObject({ start: expect.stringMatching(/^Sprint start:/), budget: expect.stringMatching(/^Budget:/) });
  });
});
