/**
 * Models on the fal.ai queue (docs/providers.md "fal.ai"), each with one endpoint per mode.
 * Field names marked UNVERIFIED there are sent as best known; extra inputs are ignored by fal.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { GenerationMode, ModelSpec } from '../../../shared/generation/types.js';

export interface FalModelSpec extends ModelSpec {
  /** Endpoint id per mode: `owner/app[/subpath]`. */
  endpoints: Partial<Record<GenerationMode, string>>;
  /** Which input shape the endpoint takes. */
  family: 'seedance' | 'kling' | 'veo';
}

const none = { maxReferenceImages: 0, acceptsReferenceVideo: false, maxReferenceVideos: 0, maxAudioRefs: 0 } as const;

const seedance = (id: string, label: string, root: string): FalModelSpec => ({
  ...none,
  id,
  label,
  family: 'seedance',
  endpoints: { image: `${root}/image-to-video`, reference: `${root}/reference-to-video` },
  modes: ['image', 'reference'],
  maxReferenceImages: 9,
  promptTags: 'seedance',
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: { kind: 'range', min: 4, max: 15 },
  aspectRatios: ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'],
  resolutions: ['480p', '720p', '1080p'],
  supportsSeed: true,
  supportsAudio: true,
});

const kling = (id: string, label: string, endpoint: string, retiresOn?: string): FalModelSpec => ({
  ...none,
  id,
  label,
  family: 'kling',
  endpoints: { image: endpoint },
  modes: ['image'],
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: { kind: 'list', values: [5, 10] },
  aspectRatios: ['16:9', '9:16', '1:1'],
  resolutions: ['720p'],
  supportsSeed: false,
  supportsAudio: false,
  ...(retiresOn ? { retiresOn } : {}),
});

const veo = (id: string, label: string, endpoints: FalModelSpec['endpoints'], extra: Partial<FalModelSpec>): FalModelSpec => ({
  ...none,
  id,
  label,
  family: 'veo',
  endpoints,
  modes: Object.keys(endpoints) as GenerationMode[],
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: { kind: 'list', values: [4, 6, 8] },
  aspectRatios: ['16:9', '9:16'],
  resolutions: ['720p', '1080p'],
  supportsSeed: true,
  supportsAudio: true,
  ...extra,
});

export const FAL_MODELS: readonly FalModelSpec[] = [
  seedance('fal:seedance-2.0', 'Seedance 2.0 (fal)', 'bytedance/seedance-2.0'),
  seedance('fal:seedance-2.0-fast', 'Seedance 2.0 Fast (fal)', 'bytedance/seedance-2.0/fast'),
  kling('fal:kling-2.1-standard', 'Kling 2.1 Standard (fal)', 'fal-ai/kling-video/v2.1/standard/image-to-video', '2026-09-15'),
  kling('fal:kling-2.5-turbo-standard', 'Kling 2.5 Turbo Standard (fal)', 'fal-ai/kling-video/v2.5-turbo/standard/image-to-video'),
  veo('fal:veo3', 'Veo 3 (fal)', { text: 'fal-ai/veo3', image: 'fal-ai/veo3/image-to-video' }, {}),
  veo('fal:veo3.1', 'Veo 3.1 (fal)', { text: 'fal-ai/veo3.1', image: 'fal-ai/veo3.1/image-to-video' }, {}),
  veo('fal:veo3.1-reference', 'Veo 3.1 Reference (fal)', { reference: 'fal-ai/veo3.1/reference-to-video' }, {
    maxReferenceImages: 3,
    durations: { kind: 'list', values: [8] },
  }),
];

/**
 * Dated per-second prices (docs/providers.md "Prices"); deployments override them through the
 * registry. fal charges Seedance 2.0 by output second and x0.6 when a video is input (published
 * 2026-08, UNVERIFIED since); its 480p and 1080p rates come from a listing of fal's endpoints
 * (2026-05-28, UNVERIFIED). Seedance 2.0 Fast and Veo 3 have no published rate here.
 */
export const FAL_PRICES: PriceTable = {
  'fal:veo3.1': { microUsdPerSecond: 200_000, audioMicroUsdPerSecond: 400_000, asOf: '2026-08', source: "fal's model page" },
  'fal:veo3.1-reference': { microUsdPerSecond: 200_000, audioMicroUsdPerSecond: 400_000, asOf: '2026-08', source: "fal's model page" },
  'fal:seedance-2.0': {
    microUsdPerSecond: 302_400,
    byResolution: { '480p': 141_200, '720p': 302_400, '1080p': 685_000 },
    videoInputPermille: 600,
    asOf: '2026-08',
    source: "fal's model page (720p); 480p/1080p and the x0.6 video-input factor from third-party listings",
    unverified: true,
    note: '720p unless the request says otherwise',
  },
  'fal:kling-2.1-standard': { microUsdPerSecond: 56_000, asOf: '2026-08', source: "fal's model page" },
  'fal:kling-2.5-turbo-standard': { microUsdPerSecond: 42_000, asOf: '2026-08', source: "fal's model page" },
};
