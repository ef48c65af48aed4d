/**
 * Dated USD-per-second prices for hosted models (docs/providers.md "Prices"). Prices change: this table is data,
 * and deployments override or extend it through config (`mergePrices`). Keys are `ModelInfo.id`s.
 */
import type { ModelInfo, ModelSpec, Resolution, VideoJobRequest } from './types.js';

export interface PriceEntry {
  /** Base price per second of output (silent, default resolution). */
  usdPerSecond: number;
  /** Price when audio is generated (used unless the request turns audio off). */
  audioUsdPerSecond?: number;
  /** Resolution-specific prices, where the provider charges differently. */
  byResolution?: Partial<Record<Resolution, number>>;
  /** When the price was last checked, e.g. `2026-08`. */
  asOf: string;
  note?: string;
}

export type PriceTable = Readonly<Record<string, PriceEntry>>;

export const DEFAULT_PRICES: PriceTable = {
  'veo:veo-3.1-generate-preview': { usdPerSecond: 0.4, asOf: '2026-05', note: 'with audio, 720p/1080p' },
  'veo:veo-3.1-fast-generate-preview': {
    usdPerSecond: 0.1,
    byResolution: { '1080p': 0.12 },
    asOf: '2026-05',
    note: 'with audio',
  },
  'fal:veo3.1': { usdPerSecond: 0.2, audioUsdPerSecond: 0.4, asOf: '2026-08' },
  'fal:veo3.1-reference': { usdPerSecond: 0.2, audioUsdPerSecond: 0.4, asOf: '2026-08' },
  'runway:gen4_turbo': { usdPerSecond: 0.05, asOf: '2026' },
  'runway:gen4.5': { usdPerSecond: 0.12, asOf: '2026' },
  'runway:veo3.1_fast': { usdPerSecond: 0.15, asOf: '2026', note: '0.10-0.15; upper bound used' },
  'ark:seedance-1-5-pro-251215': {
    usdPerSecond: 0.026,
    audioUsdPerSecond: 0.052,
    asOf: '2026-08',
    note: '720p, approximate',
  },
  'ark:seedance-1-0-pro-250528': {
    usdPerSecond: 0.054,
    byResolution: { '1080p': 0.12 },
    asOf: '2026-08',
    note: '720p / 1080p, approximate',
  },
  'fal:seedance-2.0': { usdPerSecond: 0.3024, asOf: '2026-08', note: '720p' },
  'fal:kling-2.1-standard': { usdPerSecond: 0.056, asOf: '2026-08' },
  'fal:kling-2.5-turbo-standard': { usdPerSecond: 0.042, asOf: '2026-08' },
};

/** The table with `overrides` applied entry by entry (an override replaces a whole entry). */
export function mergePrices(base: PriceTable, overrides?: PriceTable): PriceTable {
  return Object.freeze({ ...base, ...(overrides ?? {}) });
}

/** Price per second for one request; audio is assumed on unless turned off (the safer estimate). */
export function pricePerSecond(
  entry: PriceEntry,
  opts: { resolution?: Resolution; generateAudio?: boolean } = {},
): number {
  if (entry.audioUsdPerSecond !== undefined && opts.generateAudio !== false) {
    return entry.audioUsdPerSecond;
  }
  const byRes = opts.resolution ? entry.byResolution?.[opts.resolution] : undefined;
  return byRes ?? entry.usdPerSecond;
}

/** Estimated cost of a request in USD, or null when the model has no known price. */
export function estimateUsd(
  table: PriceTable,
  req: Pick<VideoJobRequest, 'model' | 'durationSec' | 'resolution' | 'generateAudio'>,
): number | null {
  const entry = table[req.model];
  if (!entry) return null;
  return roundUsd(pricePerSecond(entry, req) * req.durationSec);
}

/** Attaches provider and default price to a capability spec. */
export function priceModel(spec: ModelSpec, provider: string, table: PriceTable): ModelInfo {
  const entry = table[spec.id];
  return {
    ...spec,
    provider,
    usdPerSecond: entry ? pricePerSecond(entry) : null,
    priceAsOf: entry?.asOf ?? null,
  };
}

/** Rounds to 1/10000 of a dollar so sums stay stable. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
