/**
 * Official Kling API models (docs/providers.md "Kling (official API)"). Kling 1.5-2.1 reach end of life 2026-09-15.
 * End-frame and multi-image support per model are not in the vendor notes (UNVERIFIED, docs/providers.md "Kling (official API)"): kept to newer models.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';

const base = {
  modes: ['text', 'image'],
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: { kind: 'list', values: [5, 10] },
  aspectRatios: ['16:9', '9:16', '1:1'],
  resolutions: ['720p', '1080p'],
  supportsSeed: false,
  supportsAudio: false,
} satisfies Partial<ModelSpec>;

const withRefs = {
  modes: ['text', 'image', 'reference'],
  maxReferenceImages: 4,
  supportsLastFrame: true,
  supportsAudio: true,
} satisfies Partial<ModelSpec>;

export const KLING_MODELS: readonly ModelSpec[] = [
  { ...base, id: 'kling:kling-v2-1-master', label: 'Kling 2.1 Master', retiresOn: '2026-09-15' },
  { ...base, id: 'kling:kling-v2-5-turbo', label: 'Kling 2.5 Turbo', supportsLastFrame: true },
  { ...base, ...withRefs, id: 'kling:kling-v2-6', label: 'Kling 2.6' },
  { ...base, ...withRefs, id: 'kling:kling-v3', label: 'Kling 3' },
];

/** No dated price checked yet (docs/providers.md "Prices"): estimates stay unknown until a deployment sets one. */
export const KLING_PRICES: PriceTable = {};
