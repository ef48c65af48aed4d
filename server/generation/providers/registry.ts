/**
 * Builds the hosted adapters whose keys are set. Reads only the env-like object it is given
 * (never process.env), so tests and main decide what is enabled.
 */
import { DEFAULT_PRICES, mergePrices, priceModel, type PriceTable } from '../../../shared/generation/prices.js';
import type { ModelInfo, ModelSpec } from '../../../shared/generation/types.js';
import { ARK_MODELS } from './ark.models.js';
import { createArkProvider } from './ark.js';
import { FAL_MODELS } from './fal.models.js';
import { createFalProvider } from './fal.js';
import { KLING_MODELS } from './kling.models.js';
import { createKlingProvider } from './kling.js';
import type { ProviderAdapter, ProviderDeps } from './provider.js';
import { REPLICATE_MODELS } from './replicate.models.js';
import { createReplicateProvider } from './replicate.js';
import { RUNWAY_MODELS } from './runway.models.js';
import { createRunwayProvider } from './runway.js';
import { VEO_MODELS } from './veo.models.js';
import { createVeoProvider } from './veo.js';

export type ProviderEnv = Readonly<Record<string, string | undefined>>;

export interface RegistryDeps extends ProviderDeps {
  /** Price entries that replace or extend the dated defaults. */
  prices?: PriceTable;
  /** Adapters built elsewhere (e.g. the offline `animatic`), listed first. */
  extra?: readonly ProviderAdapter[];
}

export interface ProviderRegistry {
  readonly providers: readonly ProviderAdapter[];
  readonly prices: PriceTable;
  get(id: string): ProviderAdapter | undefined;
  /** Models of enabled providers. */
  models(): ModelInfo[];
  /** The adapter and capabilities behind a model id, when its provider is enabled. */
  forModel(modelId: string): { provider: ProviderAdapter; model: ModelInfo } | undefined;
  /** Every known hosted model with whether it can be used here, and why not. */
  catalog(): { model: ModelInfo; available: boolean; reason?: string }[];
}

interface Entry {
  id: string;
  keys: string[];
  models: readonly ModelSpec[];
  build(env: ProviderEnv, prices: PriceTable, deps: ProviderDeps): ProviderAdapter;
}

const ENTRIES: Entry[] = [
  {
    id: 'ark',
    keys: ['ARK_API_KEY'],
    models: ARK_MODELS,
    build: (env, prices, deps) => createArkProvider({ apiKey: env.ARK_API_KEY!, ...base(env.ARK_BASE_URL), prices }, deps),
  },
  {
    id: 'fal',
    keys: ['FAL_KEY'],
    models: FAL_MODELS,
    build: (env, prices, deps) => createFalProvider({ apiKey: env.FAL_KEY!, ...base(env.FAL_BASE_URL), prices }, deps),
  },
  {
    id: 'replicate',
    keys: ['REPLICATE_API_TOKEN'],
    models: REPLICATE_MODELS,
    build: (env, prices, deps) =>
      createReplicateProvider(
        {
          apiToken: env.REPLICATE_API_TOKEN!,
          ...base(env.REPLICATE_BASE_URL),
          ...(set(env.REPLICATE_WEBHOOK_SECRET) ? { webhookSecret: env.REPLICATE_WEBHOOK_SECRET! } : {}),
          prices,
        },
        deps,
      ),
  },
  {
    id: 'runway',
    keys: ['RUNWAYML_API_SECRET'],
    models: RUNWAY_MODELS,
    build: (env, prices, deps) =>
      createRunwayProvider({ apiSecret: env.RUNWAYML_API_SECRET!, ...base(env.RUNWAYML_BASE_URL), prices }, deps),
  },
  {
    id: 'veo',
    keys: ['GEMINI_API_KEY'],
    models: VEO_MODELS,
    build: (env, prices, deps) => createVeoProvider({ apiKey: env.GEMINI_API_KEY!, ...base(env.GEMINI_BASE_URL), prices }, deps),
  },
  {
    id: 'kling',
    keys: ['KLING_ACCESS_KEY', 'KLING_SECRET_KEY'],
    models: KLING_MODELS,
    build: (env, prices, deps) =>
      createKlingProvider(
        { accessKey: env.KLING_ACCESS_KEY!, secretKey: env.KLING_SECRET_KEY!, ...base(env.KLING_BASE_URL), prices },
        deps,
      ),
  },
];

/** The enabled providers for `env`, with the price table merged from defaults and `deps.prices`. */
export function createProviders(env: ProviderEnv, deps: RegistryDeps = {}): ProviderRegistry {
  const prices = mergePrices(DEFAULT_PRICES, deps.prices);
  const extra = deps.extra ?? [];
  const adapterDeps: ProviderDeps = {
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.requestTimeoutMs !== undefined ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
    ...(deps.egress ? { egress: deps.egress } : {}),
  };
  const enabled = ENTRIES.filter((e) => e.keys.every((k) => set(env[k])));
  const providers = Object.freeze([...extra, ...enabled.map((e) => e.build(env, prices, adapterDeps))]);
  const byId = new Map(providers.map((p) => [p.id, p]));

  const forModel: ProviderRegistry['forModel'] = (modelId) => {
    for (const provider of providers) {
      const model = provider.models().find((m) => m.id === modelId);
      if (model) return { provider, model };
    }
    return undefined;
  };

  const catalog: ProviderRegistry['catalog'] = () => [
    ...extra.flatMap((p) => p.models().map((model) => ({ model, available: true }))),
    ...ENTRIES.flatMap((e) => {
      const missing = e.keys.filter((k) => !set(env[k]));
      return e.models.map((spec) => {
        const model = priceModel(spec, e.id, prices);
        return missing.length ? { model, available: false, reason: `${missing.join(' and ')} not set` } : { model, available: true };
      });
    }),
  ];

  return {
    providers,
    prices,
    get: (id) => byId.get(id),
    models: () => providers.flatMap((p) => [...p.models()]),
    forModel,
    catalog,
  };
}

function set(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function base(url: string | undefined): { baseUrl?: string } {
  return set(url) ? { baseUrl: url!.trim() } : {};
}
