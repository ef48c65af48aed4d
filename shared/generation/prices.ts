/**
 * How prices are written and used. The dated USD-per-second entries live next to each provider's models
 * (server/generation/providers/<name>.models.ts), the registry assembles them into one table, and
 * deployments override or extend it (`mergePrices`). Keys are `ModelInfo.id`s.
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
