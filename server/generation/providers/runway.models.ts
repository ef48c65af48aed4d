/** Runway API models (docs/providers.md "Runway"). gen3a_turbo ended 2026-07-30 and is not listed. */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';

const GEN4_RATIOS = ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'] as const;

const base = {
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  maxAudioRefs: 0,
  supportsLastFrame: false,
  framesExcludeReferences: true,
  aspectRatios: GEN4_RATIOS,
  resolutions: ['720p'],
  supportsSeed: true,
  supportsAudio: false,
} satisfies Partial<ModelSpec>;

const veo = (name: string, label: string): ModelSpec => ({
  ...base,
  id: `runway:${name}`,
  label,
  // text_to_video for veo3.1 is not documented (UNVERIFIED).
  modes: ['text', 'image'],
  supportsLastFrame: true,
  durations: { kind: 'list', values: [4, 6, 8] },
  aspectRatios: ['16:9', '9:16'],
  resolutions: ['720p', '1080p'],
  supportsSeed: false,
  supportsAudio: true,
});

export const RUNWAY_MODELS: readonly ModelSpec[] = [
  // 2-10 s as the 2026-12 round of Runway's pages gives it (it was 5 or 10 s before; UNVERIFIED).
  { ...base, id: 'runway:gen4_turbo', label: 'Gen-4 Turbo (Runway)', modes: ['image'], durations: { kind: 'range', min: 2, max: 10 } },
  { ...base, id: 'runway:gen4.5', label: 'Gen-4.5 (Runway)', modes: ['image'], durations: { kind: 'range', min: 2, max: 10 } },
  veo('veo3.1', 'Veo 3.1 (Runway)'),
  veo('veo3.1_fast', 'Veo 3.1 Fast (Runway)'),
  {
    ...base,
    id: 'runway:seedance2',
    label: 'Seedance 2 (Runway)',
    modes: ['text', 'image', 'reference', 'extend'],
    maxReferenceImages: 9,
    acceptsReferenceVideo: true,
    maxReferenceVideos: 3,
    // Runway's documented Seedance inputs name no reference audio.
    maxAudioRefs: 0,
    promptTags: 'seedance',
    supportsLastFrame: true,
    durations: { kind: 'range', min: 4, max: 15 },
    supportsAudio: true,
  },
];

/** Runway spells ratios in pixels. */
export function runwayRatio(aspectRatio: string, resolution?: string): string {
  const hd = resolution === '1080p';
  const table: Record<string, string> = {
    '16:9': hd ? '1920:1080' : '1280:720',
    '9:16': hd ? '1080:1920' : '720:1280',
    '4:3': '1104:832',
    '3:4': '832:1104',
    '1:1': '960:960',
    '21:9': '1584:672',
  };
  return table[aspectRatio] ?? aspectRatio;
}

/**
 * Runway bills credits per second of output, a credit $0.01 (its API docs, 2026-08). gen4_turbo 5
 * and gen4.5 12 credits/s match the dollar rates checked in 2026; veo3.1 40 (20 silent) and
 * veo3.1_fast 15 (10 silent) are from a 2026 reference of Runway's credit costs (UNVERIFIED; the
 * fast range $0.10-0.15/s agrees). seedance2 has no published rate here.
 */
const CREDIT = 10_000;
export const RUNWAY_PRICES: PriceTable = {
  'runway:gen4_turbo': { formula: 'credits', creditsPerSecond: 5, microUsdPerCredit: CREDIT, asOf: '2026', source: 'Runway API docs' },
  'runway:gen4.5': { formula: 'credits', creditsPerSecond: 12, microUsdPerCredit: CREDIT, asOf: '2026', source: 'Runway API docs' },
  'runway:veo3.1': { formula: 'credits', creditsPerSecond: 20, audioCreditsPerSecond: 40, microUsdPerCredit: CREDIT, asOf: '2026', source: "a reference of Runway's credit costs", unverified: true },
  'runway:veo3.1_fast': { formula: 'credits', creditsPerSecond: 10, audioCreditsPerSecond: 15, microUsdPerCredit: CREDIT, asOf: '2026', source: "a reference of Runway's credit costs", unverified: true },
};
