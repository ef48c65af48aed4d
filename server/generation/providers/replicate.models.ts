/** Models on Replicate (docs/providers.md "Replicate"): data, since models come and go. */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';

export const REPLICATE_MODELS: readonly ModelSpec[] = [
  {
    id: 'replicate:bytedance/seedance-2.0',
    label: 'Seedance 2.0 (Replicate)',
    modes: ['text', 'image', 'reference', 'extend'],
    maxReferenceImages: 9,
    acceptsReferenceVideo: true,
    maxReferenceVideos: 3,
    maxAudioRefs: 3,
    promptTags: 'seedance',
    supportsLastFrame: true,
    framesExcludeReferences: true,
    durations: { kind: 'range', min: 4, max: 15 },
    aspectRatios: ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'],
    resolutions: ['480p', '720p', '1080p'],
    // `seed` is not a documented input (UNVERIFIED); Replicate ignores unknown inputs.
    supportsSeed: true,
    supportsAudio: true,
  },
];

/**
 * No dated rate was found for Seedance 2.0 on Replicate (docs/providers.md "Prices"): its estimate
 * says "no price known" and queueing asks for confirmation, until a deployment sets one.
 */
export const REPLICATE_PRICES: PriceTable = {};
