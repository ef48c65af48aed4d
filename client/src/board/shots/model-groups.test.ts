import { describe, expect, it } from 'vitest';
import type { ModelListEntry } from '../../../../shared/api';
import { groupModels, unavailableLabel } from './model-groups';

const m = (id: string, available: boolean, reason?: string) => ({ id, label: id.toUpperCase(), available, ...(reason ? { reason } : {}) }) as ModelListEntry;

describe('model groups', () => {
  it('puts runnable models first and the others in one explained group', () => {
    const g = groupModels([m('veo', false, 'GOOGLE_API_KEY not set'), m('animatic', true), m('kling', false, 'FAL_KEY not set'), m('seedance', true)]);
    expect(g.available.map((x) => x.id)).toEqual(['animatic', 'seedance']);
    expect(g.unavailable.map((x) => x.id)).toEqual(['veo', 'kling']);
    expect(g.why).toBe('Not available here: the server has no API key for these (ask whoever runs it)');
    expect(unavailableLabel(g.unavailable[1]!)).toBe('KLING (FAL_KEY not set)');
  });

  it('says less when the reasons are not all missing keys', () => {
    expect(groupModels([m('x', false, 'provider is down')]).why).toBe('Not available here');
  });
});
