/**
 * Veo 3.1 on Vertex AI (docs/providers.md "Veo on Vertex AI"), 2026-12 facts. Vertex, unlike the
 * Gemini API, takes a clip of our own to extend (`instances[].video`), so a chained shot of the
 * extension's length continues its upstream clip natively. Ids as Vertex lists them; lite's id and
 * which tiers extend and take references are UNVERIFIED (kept off where not stated).
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';

const base = {
  modes: ['text', 'image', 'extend'],
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  maxAudioRefs: 0,
  supportsLastFrame: true,
  framesExcludeReferences: true,
  durations: { kind: 'list', values: [4, 6, 8] },
  aspectRatios: ['16:9', '9:16'],
  resolutions: ['720p', '1080p'],
  supportsSeed: true,
  supportsAudio: true,
  // "Extend" adds about 7 s per call, up to 37 s in all (2026-12, UNVERIFIED): an extension is 7 s.
  extendsClip: { durations: [7] },
} satisfies Partial<ModelSpec>;

const { extendsClip: _extends, ...withoutExtend } = base;

export const VERTEX_MODELS: readonly ModelSpec[] = [
  { ...base, id: 'vertex:veo-3.1-generate-001', label: 'Veo 3.1 (Vertex)', modes: ['text', 'image', 'reference', 'extend'], maxReferenceImages: 3 },
  // Extend on the fast tier: listed by third parties, not on the vendor's page (UNVERIFIED).
  { ...base, id: 'vertex:veo-3.1-fast-generate-001', label: 'Veo 3.1 Fast (Vertex)' },
  // Lite (launched 2026-03-31): its Vertex id and whether it extends are UNVERIFIED, so no extend and no end frame.
  { ...withoutExtend, id: 'vertex:veo-3.1-lite-generate-001', label: 'Veo 3.1 Lite (Vertex, id unverified)', modes: ['text', 'image'], supportsLastFrame: false },
];

/**
 * Per second of output, with audio (an extension is billed as the seconds it adds). Every figure is
 * UNVERIFIED for 2026-12: standard about $0.40/s and fast about $0.15/s (a 2026-12 round of pages);
 * lite $0.05/s at 720p and $0.08/s at 1080p (a third-party listing of Google's Veo prices).
 */
export const VERTEX_PRICES: PriceTable = {
  'vertex:veo-3.1-generate-001': { microUsdPerSecond: 400_000, asOf: '2026-12', source: 'third-party pages on Vertex AI prices', unverified: true, note: 'with audio' },
  'vertex:veo-3.1-fast-generate-001': { microUsdPerSecond: 150_000, asOf: '2026-12', source: 'third-party pages on Vertex AI prices', unverified: true, note: 'with audio' },
  'vertex:veo-3.1-lite-generate-001': {
    microUsdPerSecond: 50_000,
    byResolution: { '720p': 50_000, '1080p': 80_000 },
    asOf: '2026-12',
    source: "a third-party listing of Google's Veo prices",
    unverified: true,
    note: 'with audio',
  },
};
