/** The registry: enabled by keys, base URL overrides, availability of every known model. */
import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../server/generation/providers/provider.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { startFalFake } from './fakes/fal.js';
import { allowFakes } from './fakes/core.js';
import { providerError, testMedia } from './helpers.js';

describe('createProviders', () => {
  it('enables nothing without keys but still lists every model as unavailable', () => {
    const reg = createProviders({});
    expect(reg.providers).toEqual([]);
    expect(reg.models()).toEqual([]);
    const catalog = reg.catalog();
    expect(catalog.length).toBeGreaterThan(20);
    expect(catalog.every((c) => !c.available)).toBe(true);
    expect(catalog.find((c) => c.model.id === 'fal:seedance-2.0')?.reason).toBe('FAL_KEY not set');
  });

  it('enables providers whose keys are set; Kling needs both keys; blank counts as unset', () => {
    const reg = createProviders({ GEMINI_API_KEY: 'g', RUNWAYML_API_SECRET: '  ', KLING_ACCESS_KEY: 'a' });
    expect(reg.providers.map((p) => p.id)).toEqual(['veo']);
    expect(reg.forModel('veo:veo-3.1-fast-generate-preview')?.provider.id).toBe('veo');
    expect(reg.forModel('kling:kling-v3')).toBeUndefined();
    expect(reg.catalog().find((c) => c.model.id === 'kling:kling-v3')?.reason).toBe('KLING_SECRET_KEY not set');
  });

  it('lists built-in adapters passed in first', () => {
    const animatic = { id: 'animatic', models: () => [{ id: 'animatic:default' }] } as unknown as ProviderAdapter;
    const reg = createProviders({ FAL_KEY: 'f' }, { extra: [animatic] });
    expect(reg.providers.map((p) => p.id)).toEqual(['animatic', 'fal']);
    expect(reg.forModel('animatic:default')?.provider.id).toBe('animatic');
  });

  it('points an adapter at its *_BASE_URL override, on loopback only when that host is allowed explicitly', async () => {
    const fake = await startFalFake();
    try {
      const env = { FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl };
      const req = { model: 'fal:veo3', mode: 'text', prompt: 'Dawn', durationSec: 4, aspectRatio: '16:9' } as const;
      const refused = await providerError(createProviders(env).get('fal')!.submit(req, { media: testMedia() }));
      expect(refused).toMatchObject({ kind: 'permanent', code: 'egress_refused' });
      expect(refused.providerMessage).toContain('127.0.0.1 is a loopback address');
      expect(fake.state.log).toEqual([]);
      await createProviders(env, allowFakes(fake)).get('fal')!.submit(req, { media: testMedia() });
      expect(fake.submissions).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
