/** Veo on the Gemini API (docs/providers.md "Google Veo (Gemini API)"). No seed on Gemini; references are 3.1-only. */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';

const base = {
  modes: ['text', 'image'],
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  maxAudioRefs: 0,
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: { kind: 'list', values: [4, 6, 8] },
  aspectRatios: ['16:9', '9:16'],
  resolutions: ['720p', '1080p'],
  supportsSeed: false,
  supportsAudio: true,
} satisfies Partial<ModelSpec>;

export const VEO_MODELS: readonly ModelSpec[] = [
  {
    ...base,
    id: 'veo:veo-3.1-generate-preview',
    label: 'Veo 3.1 (Gemini)',
    modes: ['text', 'image', 'reference'],
    maxReferenceImages: 3,
    supportsLastFrame: true,
  },
  // Reference images on the fast tier are not confirmed (UNVERIFIED): kept off.
  { ...base, id: 'veo:veo-3.1-fast-generate-preview', label: 'Veo 3.1 Fast (Gemini)', supportsLastFrame: true },
  // Veo 3.1 Lite (launched 2026-03-31): text and image, 720p/1080p, audio; the Gemini id is as listed by third parties (UNVERIFIED).
  { ...base, id: 'veo:veo-3.1-lite-generate-preview', label: 'Veo 3.1 Lite (Gemini)' },
  { ...base, id: 'veo:veo-3.0-generate-001', label: 'Veo 3 (Gemini)' },
  { ...base, id: 'veo:veo-3.0-fast-generate-001', label: 'Veo 3 Fast (Gemini)' },
  {
    ...base,
    id: 'veo:veo-2.0-generate-001',
    label: 'Veo 2 (Gemini)',
    durations: { kind: 'range', min: 5, max: 8 },
    resolutions: ['720p'],
    supportsAudio: false,
  },
];

/**
 * Dated per-second prices by variant (docs/providers.md "Prices"); deployments override them through
 * the registry. Standard and fast from Google's price page (2026-05); a 2026-12 round of pages puts
 * fast at $0.15/s (UNVERIFIED), kept as a note. Lite from a third-party listing of the Gemini
 * prices (2026-12, UNVERIFIED): $0.05/s at 720p, $0.08/s at 1080p, with audio. Veo 3 and 2: none known.
 */
export const VEO_PRICES: PriceTable = {
  'veo:veo-3.1-generate-preview': { microUsdPerSecond: 400_000, asOf: '2026-05', source: 'Gemini API price page', note: 'with audio, 720p/1080p' },
  'veo:veo-3.1-fast-generate-preview': {
    microUsdPerSecond: 100_000,
    byResolution: { '720p': 100_000, '1080p': 120_000 },
    asOf: '2026-05',
    source: 'Gemini API price page',
    note: 'with audio; $0.15/s reported 2026-12 (unverified)',
  },
  'veo:veo-3.1-lite-generate-preview': {
    microUsdPerSecond: 50_000,
    byResolution: { '720p': 50_000, '1080p': 80_000 },
    asOf: '2026-12',
    source: 'third-party listing of the Gemini API prices',
    unverified: true,
    note: 'with audio',
  },
};
