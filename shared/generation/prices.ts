/**
 * Dated prices per second of output for hosted models (docs/providers.md "Prices"), in integer
 * micro-dollars (shared/money.ts), so an estimate is an exact integer and totals are exact sums.
 * Prices change: this table is data, and deployments override or extend it through config
 * (`mergePrices`). Keys are `ModelInfo.id`s.
 */
import type { MicroUsd } from '../money.js';
import type { ModelInfo, ModelSpec, Resolution, VideoJobRequest } from './types.js';

export interface PriceEntry {
  /** Base price per second of output (silent, default resolution), micro-dollars. */
  microUsdPerSecond: MicroUsd;
  /** Price when audio is generated (used unless the request turns audio off), micro-dollars. */
  audioMicroUsdPerSecond?: MicroUsd;
  /** Resolution-specific prices per second, micro-dollars, where the provider charges differently. */
  byResolution?: Partial<Record<Resolution, MicroUsd>>;
  /** When the price was last checked, e.g. `2026-08`. */
  asOf: string;
  note?: string;
}

export type PriceTable = Readonly<Record<string, PriceEntry>>;

export const DEFAULT_PRICES: PriceTable = {
  'veo:veo-3.1-generate-preview': { microUsdPerSecond: 400_000, asOf: '2026-05', note: 'with audio, 720p/1080p' },
  'veo:veo-3.1-fast-generate-preview': {
    microUsdPerSecond: 100_000,
    byResolution: { '1080p': 120_000 },
    asOf: '2026-05',
    note: 'with audio',
  },
  'fal:veo3.1': { microUsdPerSecond: 200_000, audioMicroUsdPerSecond: 400_000, asOf: '2026-08' },
  'fal:veo3.1-reference': { microUsdPerSecond: 200_000, audioMicroUsdPerSecond: 400_000, asOf: '2026-08' },
  'runway:gen4_turbo': { microUsdPerSecond: 50_000, asOf: '2026' },
  'runway:gen4.5': { microUsdPerSecond: 120_000, asOf: '2026' },
  'runway:veo3.1_fast': { microUsdPerSecond: 150_000, asOf: '2026', note: '0.10-0.15; upper bound used' },
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
  'fal:seedance-2.0': { microUsdPerSecond: 302_400, asOf: '2026-08', note: '720p' },
  'fal:kling-2.1-standard': { microUsdPerSecond: 56_000, asOf: '2026-08' },
  'fal:kling-2.5-turbo-standard': { microUsdPerSecond: 42_000, asOf: '2026-08' },
};

/** The table with `overrides` applied entry by entry (an override replaces a whole entry). */
export function mergePrices(base: PriceTable, overrides?: PriceTable): PriceTable {
  return Object.freeze({ ...base, ...(overrides ?? {}) });
}

/** Price per second for one request; audio is assumed on unless turned off (the safer estimate). */
export function pricePerSecond(
  entry: PriceEntry,
  opts: { resolution?: Resolution; generateAudio?: boolean } = {},
): MicroUsd {
  if (entry.audioMicroUsdPerSecond !== undefined && opts.generateAudio !== false) {
    return entry.audioMicroUsdPerSecond;
  }
  const byRes = opts.resolution ? entry.byResolution?.[opts.resolution] : undefined;
  return byRes ?? entry.microUsdPerSecond;
}

/**
 * What `seconds` of output cost at `microUsdPerSecond`: exact for whole seconds; a fractional
 * duration is rounded once, to the micro-dollar.
 */
export function costForSeconds(microUsdPerSecond: MicroUsd, seconds: number): MicroUsd {
  return Math.round(microUsdPerSecond * seconds);
}

/** Estimated cost of a request in micro-dollars, or null when the model has no known price. */
export function estimateMicroUsd(
  table: PriceTable,
  req: Pick<VideoJobRequest, 'model' | 'durationSec' | 'resolution' | 'generateAudio'>,
): MicroUsd | null {
  const entry = table[req.model];
  if (!entry) return null;
  return costForSeconds(pricePerSecond(entry, req), req.durationSec);
}

/** Attaches provider and default price to a capability spec. */
export function priceModel(spec: ModelSpec, provider: string, table: PriceTable): ModelInfo {
  const entry = table[spec.id];
  return {
    ...spec,
    provider,
    microUsdPerSecond: entry ? pricePerSecond(entry) : null,
    priceAsOf: entry?.asOf ?? null,
  };
}
