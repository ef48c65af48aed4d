import { ASPECT_RATIOS } from '../../shared/doc/index.js';
import { estimatePrice, type BilledUsage, type ModelInfo, type PerSecondPrice, type PriceEstimate, type PriceInput } from '../../shared/generation/index.js';
import type { ProviderAdapter } from './providers/provider.js';
import type { ProviderRegistry } from './providers/registry.js';

export const ANIMATIC_MODEL_ID = 'animatic';

/** The animatic is rendered here with ffmpeg: free. */
const ANIMATIC_PRICE: PerSecondPrice = { microUsdPerSecond: 0, asOf: '2026-11-24', source: 'rendered on this server with ffmpeg' };

/** The built-in offline model: renders a real clip with ffmpeg, free, no account needed. */
export const ANIMATIC_MODEL: ModelInfo = {
  id: ANIMATIC_MODEL_ID,
  provider: 'animatic',
  label: 'Animatic (offline)',
  modes: ['text', 'image', 'reference', 'extend'],
  maxReferenceImages: 9,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  // Mixes the shot's first assigned sound into its clip.
  maxAudioRefs: 1,
  supportsLastFrame: true,
  framesExcludeReferences: false,
  durations: { kind: 'range', min: 1, max: 20 },
  aspectRatios: ASPECT_RATIOS,
  resolutions: ['480p'],
  supportsSeed: true,
  supportsAudio: false,
  microUsdPerSecond: 0,
  priceAsOf: ANIMATIC_PRICE.asOf,
  price: ANIMATIC_PRICE,
};

export type ModelTarget = { kind: 'local'; model: ModelInfo } | { kind: 'hosted'; model: ModelInfo; provider: ProviderAdapter };

/** Every model the server can run: the animatic first, then enabled hosted ones. */
export function createModelCatalog(registry: ProviderRegistry) {
  return {
    registry,
    resolve(modelId: string): ModelTarget | undefined {
      if (modelId === ANIMATIC_MODEL_ID) return { kind: 'local', model: ANIMATIC_MODEL };
      const hit = registry.forModel(modelId);
      return hit ? { kind: 'hosted', model: hit.model, provider: hit.provider } : undefined;
    },
    list(): { model: ModelInfo; available: boolean; reason?: string }[] {
      return [{ model: ANIMATIC_MODEL, available: true }, ...registry.catalog()];
    },
    /**
     * The job's price by its provider's formula, in parts; `known: false` when the table has no
     * rate (never a guess). With `usage` (after the take), what the provider reported it billed.
     */
    price(input: PriceInput, usage?: BilledUsage): PriceEstimate {
      const table = input.model === ANIMATIC_MODEL_ID ? { [ANIMATIC_MODEL_ID]: ANIMATIC_PRICE } : registry.prices;
      return estimatePrice(table, input, usage);
    },
  };
}

export type ModelCatalog = ReturnType<typeof createModelCatalog>;
