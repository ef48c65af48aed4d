/**
 * Seedance models on BytePlus ModelArk (docs/providers.md "BytePlus ModelArk"). Data, not code: models retire often.
 * Capabilities the vendor does not state are kept conservative.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec, Resolution } from '../../../shared/generation/types.js';

const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'] as const;
const RES: readonly Resolution[] = ['480p', '720p', '1080p'];
const V1 = { kind: 'range', min: 2, max: 12 } as const;

const base = {
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: V1,
  aspectRatios: RATIOS,
  resolutions: RES,
  supportsSeed: true,
  supportsAudio: false,
} satisfies Partial<ModelSpec>;

export const ARK_MODELS: readonly ModelSpec[] = [
  { ...base, id: 'ark:seedance-1-0-pro-250528', label: 'Seedance 1.0 Pro (BytePlus)', modes: ['text', 'image'] },
  { ...base, id: 'ark:seedance-1-0-pro-fast-251015', label: 'Seedance 1.0 Pro Fast (BytePlus)', modes: ['text', 'image'] },
  { ...base, id: 'ark:seedance-1-0-lite-t2v-250428', label: 'Seedance 1.0 Lite T2V (BytePlus)', modes: ['text'] },
  {
    ...base,
    id: 'ark:seedance-1-0-lite-i2v-250428',
    label: 'Seedance 1.0 Lite I2V (BytePlus)',
    modes: ['image'],
    supportsLastFrame: true,
  },
  {
    ...base,
    id: 'ark:seedance-1-5-pro-251215',
    label: 'Seedance 1.5 Pro (BytePlus)',
    modes: ['text', 'image'],
    supportsLastFrame: true,
    supportsAudio: true,
  },
  ...(['dreamina-seedance-2-0-260128', 'dreamina-seedance-2-0-fast-260128'] as const).map((name) => ({
    ...base,
    id: `ark:${name}`,
    label: name.includes('fast') ? 'Seedance 2.0 Fast (BytePlus)' : 'Seedance 2.0 (BytePlus)',
    modes: ['text', 'image', 'reference', 'extend'] as const,
    maxReferenceImages: 9,
    acceptsReferenceVideo: true,
    maxReferenceVideos: 3,
    supportsLastFrame: true,
    durations: { kind: 'range', min: 4, max: 15 } as const,
    supportsAudio: true,
  })),
];

/** Volcengine spells the same models `doubao-…` (and drops `dreamina-`). */
export function volcengineModelName(name: string): string {
  return `doubao-${name.replace(/^dreamina-/, '')}`;
}

/** Dated USD-per-second prices (docs/providers.md "Prices"); deployments override them through the registry. */
export const ARK_PRICES: PriceTable = {
  'ark:seedance-1-5-pro-251215': {
    microUsdPerSecond: 26_000,
    audioMicroUsdPerSecond: 52_000,
    asOf: '2026-08',
    note: '720p, approximate',
  },
  'ark:seedance-1-0-pro-250528': {
    microUsdPerSecond: 54_000,
    byResolution: { '1080p': 120_000 },
    asOf: '2026-08',
    note: '720p / 1080p, approximate',
  },
};
