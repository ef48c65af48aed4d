/**
 * Normalized generation request and model capabilities, shared by the server (queue, adapters)
 * and the client (model picker, inline validation). Pure data: no Node or DOM imports.
 */
import type { PriceEntry } from './prices.js';
import type { PromptTagStyle } from './prompt-tags.js';

/** A stored asset the server can hand to a provider; `url` is set when it is already public. */
export type MediaRef = { assetId: string; url?: string };

export const GENERATION_MODES = ['text', 'image', 'reference', 'extend'] as const;
export type GenerationMode = (typeof GENERATION_MODES)[number];

export const RESOLUTIONS = ['480p', '720p', '1080p'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type ReferenceRole = 'character' | 'location' | 'style' | 'prop';

/** What the queue stores for a job and hands to an adapter (see docs/providers.md "Normalized request and status mapping"). */
export interface VideoJobRequest {
  /** A `ModelInfo.id`, e.g. `ark:dreamina-seedance-2-0-260128`. */
  model: string;
  mode: GenerationMode;
  prompt?: string;
  negativePrompt?: string;
  firstFrame?: MediaRef;
  lastFrame?: MediaRef;
  referenceImages?: { media: MediaRef; role?: ReferenceRole }[];
  /** Includes the chained tail when the model accepts reference video. */
  referenceVideos?: MediaRef[];
  /** Reference audio (voice lines, music, ambience), only for models with `maxAudioRefs`. */
  referenceAudios?: MediaRef[];
  /** The clip the model continues itself (a chained tail on a model with `extendsClip`); sent without frames or references. */
  extendVideo?: MediaRef;
  durationSec: number;
  aspectRatio: string;
  resolution?: Resolution;
  seed?: number;
  cameraFixed?: boolean;
  generateAudio?: boolean;
}

/** Allowed clip lengths: an explicit list (4, 6, 8) or an inclusive range of whole seconds. */
export type DurationSpec =
  | { kind: 'list'; values: readonly number[] }
  | { kind: 'range'; min: number; max: number };

/** What a model can do, as listed by `GET /api/models`. */
export interface ModelInfo {
  /** Globally unique: `<provider>:<provider's model name>`. */
  id: string;
  provider: string;
  label: string;
  modes: readonly GenerationMode[];
  maxReferenceImages: number;
  acceptsReferenceVideo: boolean;
  maxReferenceVideos: number;
  /** Reference audio files (voice lines, music) the model takes; 0 when it takes none. */
  maxAudioRefs: number;
  supportsLastFrame: boolean;
  /** First/last frames cannot be combined with reference images or videos. */
  framesExcludeReferences: boolean;
  /** How its prompt names the files sent (`@image1`…, prompt-tags.ts); absent: by position only. */
  promptTags?: PromptTagStyle;
  durations: DurationSpec;
  /** Board-style ratios (`16:9`); adapters translate to the provider's own spelling. */
  aspectRatios: readonly string[];
  resolutions: readonly Resolution[];
  supportsSeed: boolean;
  supportsAudio: boolean;
  /**
   * The model continues a clip itself (Veo 3.1 "extend" on Vertex): a chained shot of one of these
   * lengths sends its tail as the clip to extend, instead of its last frame as the first frame.
   */
  extendsClip?: { durations: readonly number[] };
  /** A reference video turns the model's own sound off (Kling 3.0 Omni: `sound` must be off with `video_list`). */
  referenceVideoSilences?: boolean;
  /** Price per second of output in integer micro-dollars; null when no dated price is known (set one through the price table override). */
  microUsdPerSecond: number | null;
  priceAsOf: string | null;
  /** The dated price entry the estimate is made from (its formula, rates, source); null when none is known. */
  price: PriceEntry | null;
  /** Announced end of life (ISO date), when there is one. */
  retiresOn?: string;
}

/** A model's capabilities before its provider and price are attached. */
export type ModelSpec = Omit<ModelInfo, 'provider' | 'microUsdPerSecond' | 'priceAsOf' | 'price'>;

/** True when `seconds` is an allowed duration for `spec`. */
export function durationAllowed(spec: DurationSpec, seconds: number): boolean {
  if (spec.kind === 'list') return spec.values.includes(seconds);
  return Number.isInteger(seconds) && seconds >= spec.min && seconds <= spec.max;
}

/** "4, 6 or 8 seconds" / "whole seconds from 2 to 12" (2.5 is between 2 and 12, yet not allowed). */
export function describeDurations(spec: DurationSpec): string {
  if (spec.kind === 'range') return `whole seconds from ${spec.min} to ${spec.max}`;
  return `${listWords(spec.values.map(String), 'or')} seconds`;
}

/** "4-15 s" / "4, 6 or 8 s": short enough to sit next to a duration field. */
export function shortDurations(spec: DurationSpec): string {
  if (spec.kind === 'range') return `${spec.min}-${spec.max} s`;
  return `${listWords(spec.values.map(String), 'or')} s`;
}

/** ["a","b","c"] -> "a, b or c". */
export function listWords(items: readonly string[], last: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}
