/**
 * How prices are written and used. Rates are integer micro-dollars per second
 * (shared/money.ts), so an estimate is an exact integer and totals are exact sums. The dated entries live next to each provider's models
 * (server/generation/providers/<name>.models.ts), the registry assembles them into one table, and
 * deployments override or extend it (`mergePrices`). Keys are `ModelInfo.id`s.
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
