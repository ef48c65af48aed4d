/**
 * The registry: enabled by keys, base URL overrides, availability of every known model, and one
 * entry per provider from which its variables, prices, catalog and README row follow.
 */
import { describe, expect, it } from 'vitest';
import { renderConfigTable, renderProviderTable } from '../../scripts/config-table.js';
import { CONFIG_VARS, providerConfigVars } from '../../server/config-vars.js';
import { ConfigError, loadConfig, PROVIDER_ENV_KEYS } from '../../server/config.js';
import type { ProviderAdapter } from '../../server/generation/providers/provider.js';
import {
  createProviders,
  DEFAULT_PRICES,
  PROVIDERS,
  providerEnvKeys,
  type AdapterCommon,
  type ProviderEntry,
} from '../../server/generation/providers/registry.js';
import { REPLICATE_MODELS } from '../../server/generation/providers/replicate.models.js';
import { priceModel } from '../../shared/generation/prices.js';
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

describe('a provider is one registry entry', () => {
  const built: AdapterCommon[] = [];
  const spec = { ...REPLICATE_MODELS[0]!, id: 'acme:clip-1', label: 'Acme Clip 1' };
  const acme: ProviderEntry = {
    id: 'acme',
    name: 'Acme Video',
    keys: { ACME_KEY: 'Acme key' },
    baseUrl: 'ACME_BASE_URL',
    options: { ACME_REGION: 'which Acme region renders' },
    models: [spec],
    prices: { 'acme:clip-1': { microUsdPerSecond: 70_000, asOf: '2026-12' } },
    build: (_env, common) => {
      built.push(common);
      return { id: 'acme', models: () => [priceModel(spec, 'acme', common.prices)] } as unknown as ProviderAdapter;
    },
  };
  const entries = [...PROVIDERS, acme];

  it('gives the new provider its configuration variables and their README rows', () => {
    expect(providerEnvKeys(entries).slice(-3)).toEqual(['ACME_KEY', 'ACME_BASE_URL', 'ACME_REGION']);
    const table = renderConfigTable(providerConfigVars(entries));
    expect(table).toContain('| ACME_KEY | unset | Acme key; the provider\'s models are listed as available only when it is set.');
    expect(table).toMatch(/\| [A-Z_, ]*ACME_BASE_URL \| the provider's public API \|/);
    expect(table).toContain('| ACME_REGION | unset | which Acme region renders |');
  });

  it('lists its models as unavailable, with their price and the missing key, until the key is set', () => {
    const off = createProviders({}, { entries }).catalog().find((c) => c.model.id === 'acme:clip-1');
    expect(off).toMatchObject({ available: false, reason: 'ACME_KEY not set', model: { provider: 'acme', microUsdPerSecond: 70_000, priceAsOf: '2026-12' } });

    const reg = createProviders({ ACME_KEY: 'k', ACME_BASE_URL: ' https://acme.example ' }, { entries });
    expect(reg.providers.map((p) => p.id)).toEqual(['acme']);
    expect(reg.forModel('acme:clip-1')?.provider.id).toBe('acme');
    expect(reg.catalog().find((c) => c.model.id === 'acme:clip-1')).toMatchObject({ available: true });
    expect(reg.prices['acme:clip-1']).toEqual({ microUsdPerSecond: 70_000, asOf: '2026-12' });
    expect(built.at(-1)).toMatchObject({ baseUrl: 'https://acme.example' });
    expect(built.at(-1)?.prices['fal:seedance-2.0']).toEqual(DEFAULT_PRICES['fal:seedance-2.0']);
  });

  it('gives it a row in the README provider table', () => {
    expect(renderProviderTable(entries).split('\n').at(-1)).toBe('| Acme Video (`acme`) | ACME_KEY | Acme Clip 1: $0.07/s (2026-12) |');
  });

  it('the built-in entries are where the server takes its variables and prices from', () => {
    expect(PROVIDER_ENV_KEYS).toEqual(providerEnvKeys(PROVIDERS));
    for (const k of PROVIDER_ENV_KEYS) expect(CONFIG_VARS[k], k).toBeDefined();
    expect(Object.keys(CONFIG_VARS).filter((k) => /^OPENAI_/.test(k))).toEqual([]);
    for (const e of PROVIDERS) {
      const ids = new Set(e.models.map((m) => m.id));
      for (const id of Object.keys(e.prices)) expect(ids.has(id), `${e.id} prices ${id}, not one of its models`).toBe(true);
    }
    expect(Object.keys(DEFAULT_PRICES).sort()).toEqual(PROVIDERS.flatMap((e) => Object.keys(e.prices)).sort());
  });

  it('loadConfig passes on exactly the registry variables and checks each base URL it names', () => {
    const config = loadConfig({ FAL_KEY: ' f ', REPLICATE_WEBHOOK_SECRET: 's', OPENAI_API_KEY: 'o', KLING_BASE_URL: 'https://kling.example' }, '/srv');
    expect(config.providerEnv).toEqual({ FAL_KEY: 'f', REPLICATE_WEBHOOK_SECRET: 's', KLING_BASE_URL: 'https://kling.example' });
    let problems: string[] = [];
    try {
      loadConfig({ GEMINI_BASE_URL: 'ftp://veo.example' }, '/srv');
    } catch (err) {
      problems = err instanceof ConfigError ? err.problems : [];
    }
    expect(problems).toEqual(['GEMINI_BASE_URL must be an http(s) URL']);
  });
});
