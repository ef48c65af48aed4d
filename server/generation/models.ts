import { ASPECT_RATIOS } from '../../shared/doc/index.js';
import { estimateMicroUsd, type ModelInfo, type VideoJobRequest } from '../../shared/generation/index.js';
import type { MicroUsd } from '../../shared/money.js';
import type { ProviderAdapter } from './providers/provider.js';
import type { ProviderRegistry } from './providers/registry.js';

export const ANIMATIC_MODEL_ID = 'animatic';

/** The built-in offline model: renders a real clip with ffmpeg, free, no account needed. */
export const ANIMATIC_MODEL: ModelInfo = {
  id: ANIMATIC_MODEL_ID,
  provider: 'animatic',
  label: 'Animatic (offline)',
  modes: ['text', 'image', 'reference', 'extend'],
  maxReferenceImages: 9,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  supportsLastFrame: true,
  framesExcludeReferences: false,
  durations: { kind: 'range', min: 1, max: 20 },
  aspectRatios: ASPECT_RATIOS,
  resolutions: ['480p'],
  supportsSeed: true,
  supportsAudio: false,
  microUsdPerSecond: 0,
  priceAsOf: '2026-11-24',
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
    /** Integer micro-dollars; 0 for the animatic and for a model with no known price. */
    estimate(req: VideoJobRequest): MicroUsd {
      if (req.model === ANIMATIC_MODEL_ID) return 0;
      return estimateMicroUsd(registry.prices, req) ?? 0;
    },
  };
}

export type ModelCatalog = ReturnType<typeof createModelCatalog>;
