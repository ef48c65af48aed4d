/**
 * The one list of hosted providers. Each entry is everything the rest of the server knows about one
 * service: the variables that enable and point it (server/config.ts and config-vars.ts derive theirs
 * from here), its models (capabilities), its dated prices, the README row and how to build its adapter.
 * Adding a provider is one adapter file (+ its `.models.ts`) and one entry below.
 * `createProviders` reads only the env-like object it is given (never process.env), so tests and main
 * decide what is enabled.
 */
import { mergePrices, priceModel, type PriceTable } from '../../../shared/generation/prices.js';
import { listWords, type ModelInfo, type ModelSpec } from '../../../shared/generation/types.js';
import { ARK_MODELS, ARK_PRICES } from './ark.models.js';
import { createArkProvider } from './ark.js';
import { FAL_MODELS, FAL_PRICES } from './fal.models.js';
import { createFalProvider } from './fal.js';
import { KLING_MODELS, KLING_PRICES } from './kling.models.js';
import { createKlingProvider } from './kling.js';
import type { ProviderAdapter, ProviderDeps } from './provider.js';
import { REPLICATE_MODELS, REPLICATE_PRICES } from './replicate.models.js';
import { createReplicateProvider } from './replicate.js';
import { RUNWAY_MODELS, RUNWAY_PRICES } from './runway.models.js';
import { createRunwayProvider } from './runway.js';
import { VEO_MODELS, VEO_PRICES } from './veo.models.js';
import { createVeoProvider } from './veo.js';
import { VERTEX_MODELS, VERTEX_PRICES } from './vertex.models.js';
import { createVertexProvider } from './vertex.js';

/** Provider variables by name (what config.ts passes on; tests pass their own). */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

export interface ProviderEntry {
  /** Adapter id, the prefix of its model ids (`fal:…`). */
  id: string;
  /** Who runs it and what it serves, as the README's provider table names it. */
  name: string;
  /** Secrets that must all be set to enable it, each with what it is (its configuration row). */
  keys: Readonly<Record<string, string>>;
  /** The variable that points it at another address (a proxy, or a fake in tests). */
  baseUrl: string;
  /** Other variables it reads, each with its meaning. */
  options?: Readonly<Record<string, string>>;
  /** What it can do: each model's capabilities. */
  models: readonly ModelSpec[];
  /** Dated prices of its models (keys are ids of `models`). */
  prices: PriceTable;
  /** The adapter, given the env and what every adapter takes: prices and the `baseUrl` override when set. */
  build(env: ProviderEnv, common: AdapterCommon, deps: ProviderDeps): ProviderAdapter;
}

export interface AdapterCommon {
  prices: PriceTable;
  baseUrl?: string;
}

export interface RegistryDeps extends ProviderDeps {
  /** Price entries that replace or extend the dated defaults. */
  prices?: PriceTable;
  /** Adapters built elsewhere (e.g. the offline `animatic`), listed first. */
  extra?: readonly ProviderAdapter[];
  /** The provider list (default `PROVIDERS`; tests add one to show what an entry brings). */
  entries?: readonly ProviderEntry[];
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

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    id: 'ark',
    name: 'BytePlus ModelArk',
    keys: { ARK_API_KEY: 'BytePlus ModelArk key (Seedance)' },
    baseUrl: 'ARK_BASE_URL',
    models: ARK_MODELS,
    prices: ARK_PRICES,
    build: (env, common, deps) => createArkProvider({ apiKey: env.ARK_API_KEY!, ...common }, deps),
  },
  {
    id: 'fal',
    name: 'fal.ai queue',
    keys: { FAL_KEY: 'fal.ai key (Seedance, Kling, Veo through its queue)' },
    baseUrl: 'FAL_BASE_URL',
    models: FAL_MODELS,
    prices: FAL_PRICES,
    build: (env, common, deps) => createFalProvider({ apiKey: env.FAL_KEY!, ...common }, deps),
  },
  {
    id: 'replicate',
    name: 'Replicate',
    keys: { REPLICATE_API_TOKEN: 'Replicate token' },
    baseUrl: 'REPLICATE_BASE_URL',
    options: {
      REPLICATE_WEBHOOK_SECRET: "Replicate's webhook signing secret: callbacks are verified with it (they are only a hint to poll now)",
    },
    models: REPLICATE_MODELS,
    prices: REPLICATE_PRICES,
    build: (env, common, deps) =>
      createReplicateProvider(
        {
          apiToken: env.REPLICATE_API_TOKEN!,
          ...(set(env.REPLICATE_WEBHOOK_SECRET) ? { webhookSecret: env.REPLICATE_WEBHOOK_SECRET! } : {}),
          ...common,
        },
        deps,
      ),
  },
  {
    id: 'runway',
    name: 'Runway',
    keys: { RUNWAYML_API_SECRET: 'Runway key' },
    baseUrl: 'RUNWAYML_BASE_URL',
    models: RUNWAY_MODELS,
    prices: RUNWAY_PRICES,
    build: (env, common, deps) =>
      createRunwayProvider({ apiSecret: env.RUNWAYML_API_SECRET!, ...common }, deps),
  },
  {
    id: 'veo',
    name: 'Google Veo (Gemini API)',
    keys: { GEMINI_API_KEY: 'Gemini API key (Veo)' },
    baseUrl: 'GEMINI_BASE_URL',
    models: VEO_MODELS,
    prices: VEO_PRICES,
    build: (env, common, deps) => createVeoProvider({ apiKey: env.GEMINI_API_KEY!, ...common }, deps),
  },
  {
    id: 'vertex',
    name: 'Google Veo (Vertex AI)',
    keys: {
      VERTEX_SERVICE_ACCOUNT_JSON: 'Vertex AI service-account key file, its JSON (Veo 3.1; extends chained clips natively)',
      VERTEX_PROJECT: 'Google Cloud project id for Vertex AI',
      VERTEX_OUTPUT_GCS_URI: 'Cloud Storage prefix Vertex writes clips to (gs://bucket/prefix/), read back with the same key',
    },
    baseUrl: 'VERTEX_BASE_URL',
    options: {
      VERTEX_LOCATION: 'Vertex AI region (default us-central1)',
      VERTEX_STORAGE_BASE_URL: 'Cloud Storage JSON API address (default https://storage.googleapis.com; a fake in tests)',
    },
    models: VERTEX_MODELS,
    prices: VERTEX_PRICES,
    build: (env, common, deps) =>
      createVertexProvider(
        {
          serviceAccountJson: env.VERTEX_SERVICE_ACCOUNT_JSON!,
          project: env.VERTEX_PROJECT!.trim(),
          location: set(env.VERTEX_LOCATION) ? env.VERTEX_LOCATION!.trim() : 'us-central1',
          outputGcsUri: env.VERTEX_OUTPUT_GCS_URI!.trim(),
          ...(set(env.VERTEX_STORAGE_BASE_URL) ? { storageBaseUrl: env.VERTEX_STORAGE_BASE_URL!.trim() } : {}),
          ...common,
        },
        deps,
      ),
  },
  {
    id: 'kling',
    name: 'Kling (official API)',
    keys: {
      KLING_ACCESS_KEY: 'Kling access key (with KLING_SECRET_KEY)',
      KLING_SECRET_KEY: 'Kling secret key (with KLING_ACCESS_KEY)',
    },
    baseUrl: 'KLING_BASE_URL',
    models: KLING_MODELS,
    prices: KLING_PRICES,
    build: (env, common, deps) =>
      createKlingProvider(
        { accessKey: env.KLING_ACCESS_KEY!, secretKey: env.KLING_SECRET_KEY!, ...common },
        deps,
      ),
  },
];

/** Every variable the entries read, in entry order: keys, base URL, options. */
export function providerEnvKeys(entries: readonly ProviderEntry[] = PROVIDERS): string[] {
  return entries.flatMap((e) => [...Object.keys(e.keys), e.baseUrl, ...Object.keys(e.options ?? {})]);
}

/** The dated prices of every entry in one table. */
export function defaultPrices(entries: readonly ProviderEntry[] = PROVIDERS): PriceTable {
  return Object.freeze(Object.assign({}, ...entries.map((e) => e.prices)) as PriceTable);
}

/** The built-in price table: every provider's dated prices. */
export const DEFAULT_PRICES: PriceTable = defaultPrices();

/** Why an entry's models cannot run with `env`, or undefined when every key is set. */
function unavailableReason(entry: ProviderEntry, env: ProviderEnv): string | undefined {
  const missing = Object.keys(entry.keys).filter((k) => !set(env[k]));
  return missing.length ? `${listWords(missing, 'and')} not set` : undefined;
}

/** The enabled providers for `env`, with the price table merged from defaults and `deps.prices`. */
export function createProviders(env: ProviderEnv, deps: RegistryDeps = {}): ProviderRegistry {
  const entries = deps.entries ?? PROVIDERS;
  const prices = mergePrices(defaultPrices(entries), deps.prices);
  const extra = deps.extra ?? [];
  const adapterDeps: ProviderDeps = {
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.requestTimeoutMs !== undefined ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
    ...(deps.egress ? { egress: deps.egress } : {}),
  };
  const enabled = entries.filter((e) => unavailableReason(e, env) === undefined);
  const providers = Object.freeze([...extra, ...enabled.map((e) => e.build(env, { prices, ...base(env[e.baseUrl]) }, adapterDeps))]);
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
    ...entries.flatMap((e) => {
      const reason = unavailableReason(e, env);
      return e.models.map((spec) => {
        const model = priceModel(spec, e.id, prices);
        return reason ? { model, available: false, reason } : { model, available: true };
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
