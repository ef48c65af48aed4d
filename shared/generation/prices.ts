/**
 * How a provider prices one job, by its own formula, from a dated entry of its price table. Four
 * formulas cover the hosted services: per second of output (Veo, fal, Replicate, Runway's dollars),
 * tokens (Seedance 2.0 on BytePlus: (input video seconds + output seconds) x width x height x fps /
 * 1024, with a minimum when a video is input), credits per second (Runway) and a price per clip
 * (Kling). An estimate comes with its parts (output, each input video such as the chained tail,
 * references, the minimum) whose amounts add up to the total exactly. Money is integer
 * micro-dollars (shared/money.ts). The dated entries live next to each provider's models
 * (server/generation/providers/<name>.models.ts); deployments override them (`mergePrices`).
 * Pure data and arithmetic: shared by the server (enqueue, the charge) and the client (the shot's
 * estimate before queueing).
 */
import type { MicroUsd } from '../money.js';
import { frameSize } from './frame-sizes.js';
import type { ModelInfo, ModelSpec, Resolution } from './types.js';

/** Where a figure comes from. Absent `unverified` means a vendor page confirmed it (or a deployment set it). */
interface Dated {
  /** When the figure was last checked, e.g. `2026-08`. */
  asOf: string;
  /** The page it was read from, in words. */
  source?: string;
  /** True when no official source confirmed it: the UI shows the figure as an estimate. */
  unverified?: boolean;
  note?: string;
}

/** Dollars per second of output (the default when `formula` is absent). */
export interface PerSecondPrice extends Dated {
  formula?: 'per_second';
  /** Base price per second of output (silent, default resolution), micro-dollars. */
  microUsdPerSecond: MicroUsd;
  /** Price when audio is generated (used unless the request turns audio off), micro-dollars. */
  audioMicroUsdPerSecond?: MicroUsd;
  /** Resolution-specific prices per second, micro-dollars, where the provider charges differently. */
  byResolution?: Partial<Record<Resolution, MicroUsd>>;
  /** Thousandths the rate is multiplied by when a video is input (fal's Seedance 2.0: 600 = x0.6). */
  videoInputPermille?: number;
}

/** Seedance 2.0 on BytePlus/Volcengine: billed by tokens, input video seconds counted. */
export interface TokenPrice extends Dated {
  formula: 'tokens';
  /** Micro-dollars per million tokens with no video input. */
  microUsdPerMillionTokens: MicroUsd;
  /** Micro-dollars per million tokens when a video is input (a lower rate on Seedance 2.0). */
  videoInputMicroUsdPerMillionTokens?: MicroUsd;
  fps: number;
  /** Frames counted beyond seconds x fps (observed: one, the clip's closing frame). */
  extraFrames?: number;
  /** With video input, input seconds are billed as at least this many times the output seconds (the provider's minimum). */
  minInputSecondsPerOutputSecond?: number;
}

/** Runway: credits per second of output, one credit a fixed price. */
export interface CreditPrice extends Dated {
  formula: 'credits';
  creditsPerSecond: number;
  /** Credits per second when audio is generated (unless the request turns it off). */
  audioCreditsPerSecond?: number;
  microUsdPerCredit: MicroUsd;
}

/** Kling: a price per clip of a given length. */
export interface PerClipPrice extends Dated {
  formula: 'per_clip';
  /** Micro-dollars per clip, by clip seconds ("5", "10"). */
  microUsdByDuration: Readonly<Record<string, MicroUsd>>;
  /** The same with audio generated, where it costs more. */
  audioMicroUsdByDuration?: Readonly<Record<string, MicroUsd>>;
}

export type PriceEntry = PerSecondPrice | TokenPrice | CreditPrice | PerClipPrice;
export type PriceFormula = NonNullable<PriceEntry['formula']>;
export type PriceTable = Readonly<Record<string, PriceEntry>>;

/** What a job is priced on: the request's shape and the videos it sends with their lengths. */
export interface PriceInput {
  model: string;
  durationSec: number;
  aspectRatio: string;
  resolution?: Resolution;
  generateAudio?: boolean;
  /** Videos the request carries: the chained tail and clip references, each with its seconds. */
  inputVideos: readonly { what: 'tail' | 'reference'; label: string; seconds: number }[];
  /** Reference images sent (shown in the breakdown; no provider here charges for them). */
  referenceImages: number;
  /** How a chained shot continues its upstream clip, and the tail's seconds (absent when unchained). */
  continuation?: { as: 'extend' | 'reference_video' | 'start_frame'; seconds: number };
}

/** What the provider reported after the take, when it reports it (Seedance: tokens). */
export interface BilledUsage {
  tokens?: number;
  /** Seconds of the delivered clip. */
  outputSeconds?: number;
}

export type PricePartKind = 'output' | 'input_video' | 'minimum' | 'references' | 'continuation';

/** One line of an estimate; the parts' `microUsd` add up to the total. */
export interface PricePart {
  kind: PricePartKind;
  /** In words: "5 s of output at 720p", "chained tail 3 s". */
  label: string;
  microUsd: MicroUsd;
  seconds?: number;
  tokens?: number;
  credits?: number;
}

export type PriceEstimate =
  | {
      known: true;
      model: string;
      formula: PriceFormula;
      totalMicroUsd: MicroUsd;
      parts: PricePart[];
      /** The rate in words ("$6.571429 per million tokens"). */
      rate: string;
      asOf: string;
      source?: string;
      unverified: boolean;
    }
  | { known: false; model: string; reason: string };

/** The table with `overrides` applied entry by entry (an override replaces a whole entry). */
export function mergePrices(base: PriceTable, overrides?: PriceTable): PriceTable {
  return Object.freeze({ ...base, ...(overrides ?? {}) });
}

export const formulaOf = (entry: PriceEntry): PriceFormula => entry.formula ?? 'per_second';

/** Price per second for a per-second entry; audio is assumed on unless turned off (the safer estimate). */
export function pricePerSecond(entry: PerSecondPrice, opts: { resolution?: Resolution; generateAudio?: boolean } = {}): MicroUsd {
  if (entry.audioMicroUsdPerSecond !== undefined && opts.generateAudio !== false) return entry.audioMicroUsdPerSecond;
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

/** The job's price by its provider's formula, in parts; `known: false` (never a guess) without an entry. */
export function estimatePrice(table: PriceTable, input: PriceInput, usage: BilledUsage = {}): PriceEstimate {
  const entry = table[input.model];
  if (!entry) return { known: false, model: input.model, reason: 'the price table has no rate for this model' };
  const priced = priceBy(entry, input, usage);
  if ('reason' in priced) return { known: false, model: input.model, reason: priced.reason };
  const { parts, rate } = priced;
  return {
    known: true,
    model: input.model,
    formula: formulaOf(entry),
    totalMicroUsd: parts.reduce((s, p) => s + p.microUsd, 0),
    parts,
    rate,
    asOf: entry.asOf,
    ...(entry.source ? { source: entry.source } : {}),
    unverified: entry.unverified === true,
  };
}

type Priced = { parts: PricePart[]; rate: string } | { reason: string };

function priceBy(entry: PriceEntry, input: PriceInput, usage: BilledUsage): Priced {
  const out = usage.outputSeconds ?? input.durationSec;
  const refs = [...continuationPart(input), ...referencesPart(input)];
  switch (entry.formula) {
    case 'tokens':
      return byTokens(entry, input, out, usage.tokens, refs);
    case 'credits':
      return byCredits(entry, input, out, refs);
    case 'per_clip':
      return byClip(entry, input, out, refs);
    default:
      return bySecond(entry, input, out, refs);
  }
}

function bySecond(entry: PerSecondPrice, input: PriceInput, out: number, refs: PricePart[]): Priced {
  const perSecond = pricePerSecond(entry, input);
  const withVideo = input.inputVideos.length > 0 && entry.videoInputPermille !== undefined;
  const rate = withVideo ? (perSecond * entry.videoInputPermille!) / 1000 : perSecond;
  const factor = withVideo ? ` x${entry.videoInputPermille! / 1000} (a video is input)` : '';
  return {
    rate: `${usdRate(perSecond)} per second${entry.videoInputPermille !== undefined ? `, x${entry.videoInputPermille / 1000} when a video is input` : ''}`,
    parts: [
      { kind: 'output', label: `${seconds(out)} of output${at(input)} at ${usdRate(perSecond)}/s${factor}`, seconds: out, microUsd: costForSeconds(rate, out) },
      ...input.inputVideos.map((v) => ({ kind: 'input_video' as const, label: `${v.label} ${seconds(v.seconds)}: not billed by the second${withVideo ? ' (it sets the video-input rate)' : ''}`, seconds: v.seconds, microUsd: 0 })),
      ...refs,
    ],
  };
}

function byTokens(entry: TokenPrice, input: PriceInput, out: number, billedTokens: number | undefined, refs: PricePart[]): Priced {
  const size = frameSize(input.resolution ?? '720p', input.aspectRatio);
  if (!size) return { reason: `no frame size known for ${input.resolution ?? '720p'} at ${input.aspectRatio}, so its tokens cannot be counted` };
  const withVideo = input.inputVideos.length > 0;
  const perMillion = withVideo ? (entry.videoInputMicroUsdPerMillionTokens ?? entry.microUsdPerMillionTokens) : entry.microUsdPerMillionTokens;
  const tokensFor = (frames: number) => Math.round((size.width * size.height * frames) / 1024);
  const lines: Omit<PricePart, 'microUsd'>[] = [
    { kind: 'output', label: `${seconds(out)} of output at ${size.width}x${size.height}, ${entry.fps} fps`, seconds: out, tokens: tokensFor(out * entry.fps + (entry.extraFrames ?? 0)) },
    ...input.inputVideos.map((v) => ({ kind: 'input_video' as const, label: `${v.label} ${seconds(v.seconds)} (input video is billed too)`, seconds: v.seconds, tokens: tokensFor(v.seconds * entry.fps) })),
  ];
  const counted = lines.reduce((s, l) => s + l.tokens!, 0);
  if (withVideo && entry.minInputSecondsPerOutputSecond !== undefined) {
    const floor = tokensFor((out + out * entry.minInputSecondsPerOutputSecond) * entry.fps + (entry.extraFrames ?? 0));
    if (floor > counted) lines.push({ kind: 'minimum', label: `minimum charge when a video is input (input billed as at least ${entry.minInputSecondsPerOutputSecond}x the output seconds)`, tokens: floor - counted });
  }
  // After the take, the provider's own count replaces ours; the difference is the drift.
  if (billedTokens !== undefined) {
    const ours = lines.reduce((s, l) => s + l.tokens!, 0);
    if (billedTokens !== ours) lines.push({ kind: 'output', label: `counted by the provider: ${billedTokens - ours > 0 ? '+' : ''}${billedTokens - ours} tokens`, tokens: billedTokens - ours });
  }
  return {
    rate: `${usdRate(perMillion)} per million tokens${withVideo ? ' (video input rate)' : ''}`,
    parts: [...splitExactly(lines, (t) => (t * perMillion) / 1_000_000), ...refs],
  };
}

function byCredits(entry: CreditPrice, input: PriceInput, out: number, refs: PricePart[]): Priced {
  const perSecond = entry.audioCreditsPerSecond !== undefined && input.generateAudio !== false ? entry.audioCreditsPerSecond : entry.creditsPerSecond;
  const credits = perSecond * out;
  return {
    rate: `${perSecond} credits per second, a credit ${usdRate(entry.microUsdPerCredit)}`,
    parts: [
      { kind: 'output', label: `${seconds(out)} of output at ${perSecond} credits/s (${credits} credits)`, seconds: out, credits, microUsd: Math.round(credits * entry.microUsdPerCredit) },
      ...unbilledVideos(input),
      ...refs,
    ],
  };
}

function byClip(entry: PerClipPrice, input: PriceInput, out: number, refs: PricePart[]): Priced {
  const audio = entry.audioMicroUsdByDuration !== undefined && input.generateAudio !== false;
  const list = audio ? entry.audioMicroUsdByDuration! : entry.microUsdByDuration;
  const price = list[String(out)];
  if (price === undefined) return { reason: `no price known for a ${seconds(out)} clip (priced: ${Object.keys(list).map((s) => `${s} s`).join(', ')})` };
  return {
    rate: `per clip: ${Object.entries(list).map(([s, p]) => `${s} s ${usdRate(p)}`).join(', ')}${audio ? ' (with audio)' : ''}`,
    parts: [{ kind: 'output', label: `one ${seconds(out)} clip${audio ? ' with audio' : ''}`, seconds: out, microUsd: price }, ...unbilledVideos(input), ...refs],
  };
}

/** Input videos on formulas that do not bill them: listed, at no charge, so the breakdown is whole. */
function unbilledVideos(input: PriceInput): PricePart[] {
  return input.inputVideos.map((v) => ({ kind: 'input_video', label: `${v.label} ${seconds(v.seconds)}: not billed by this provider`, seconds: v.seconds, microUsd: 0 }));
}

/**
 * The chain's path when it has no charge of its own: an extended clip (the provider bills the
 * seconds it adds, which are the output) or the tail's last frame sent as the first frame. A tail
 * sent as reference video is an input video above, billed where the provider bills it.
 */
function continuationPart(input: PriceInput): PricePart[] {
  const c = input.continuation;
  if (!c || c.as === 'reference_video') return [];
  const label =
    c.as === 'extend'
      ? `native extend of the chained tail (${seconds(c.seconds)}): the clip extended is not billed, only the seconds added`
      : "chained tail's last frame as the first frame: no charge of its own";
  return [{ kind: 'continuation', label, seconds: c.seconds, microUsd: 0 }];
}

function referencesPart(input: PriceInput): PricePart[] {
  if (input.referenceImages === 0) return [];
  return [{ kind: 'references', label: `${input.referenceImages} reference ${input.referenceImages === 1 ? 'image' : 'images'}: no charge of their own`, microUsd: 0 }];
}

/**
 * Money for each line from its tokens, rounded so the lines add up to the rounded total exactly:
 * each line gets the rounded running sum minus what the lines before it got.
 */
function splitExactly(lines: Omit<PricePart, 'microUsd'>[], money: (tokens: number) => number): PricePart[] {
  let tokens = 0;
  let given = 0;
  return lines.map((l) => {
    tokens += l.tokens!;
    const upTo = Math.round(money(tokens));
    const part = { ...l, microUsd: upTo - given };
    given = upTo;
    return part;
  });
}

const at = (input: PriceInput) => (input.resolution ? ` at ${input.resolution}` : '');
const seconds = (s: number) => `${s} s`;

/** A rate in dollars with every digit it has ("$0.3024", "$6.571429"), never rounded to the cent. */
function usdRate(micro: MicroUsd): string {
  const whole = Math.floor(micro / 1_000_000);
  const frac = String(Math.round(micro) % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return `$${whole}.${frac.length < 2 ? frac.padEnd(2, '0') : frac}`;
}

/** The entry's rates in words, dated, for tables and notes: "$0.3024/s, x0.6 with video input (2026-08, unverified)". */
export function describePrice(entry: PriceEntry): string {
  const dated = ` (${entry.asOf}${entry.unverified ? ', unverified' : ''})`;
  switch (entry.formula) {
    case 'tokens':
      return `${usdRate(entry.microUsdPerMillionTokens)} per million tokens${entry.videoInputMicroUsdPerMillionTokens !== undefined ? `, ${usdRate(entry.videoInputMicroUsdPerMillionTokens)} with video input` : ''}${dated}`;
    case 'credits':
      return `${entry.creditsPerSecond} credits/s${entry.audioCreditsPerSecond !== undefined ? ` (${entry.audioCreditsPerSecond} with audio)` : ''}, a credit ${usdRate(entry.microUsdPerCredit)}${dated}`;
    case 'per_clip': {
      const list = (l: Readonly<Record<string, MicroUsd>>) => Object.entries(l).map(([sec, p]) => `${sec} s ${usdRate(p)}`).join(', ');
      return `per clip ${list(entry.microUsdByDuration)}${entry.audioMicroUsdByDuration ? `; with audio ${list(entry.audioMicroUsdByDuration)}` : ''}${dated}`;
    }
    default: {
      const extras = [
        entry.audioMicroUsdPerSecond !== undefined ? `with audio ${usdRate(entry.audioMicroUsdPerSecond)}/s` : '',
        ...Object.entries(entry.byResolution ?? {}).map(([r, p]) => `${r} ${usdRate(p!)}/s`),
        entry.videoInputPermille !== undefined ? `x${entry.videoInputPermille / 1000} with video input` : '',
      ].filter(Boolean);
      return `${usdRate(entry.microUsdPerSecond)}/s${extras.length ? ` (${extras.join(', ')})` : ''}${dated}`;
    }
  }
}

/**
 * A headline price per second for lists (the model picker, the README): one 16:9 second at the
 * model's first resolution, with audio where it costs more, no video input. Null without a price.
 */
export function headlinePerSecond(entry: PriceEntry, spec: Pick<ModelSpec, 'id' | 'resolutions' | 'durations'>): MicroUsd | null {
  const durationSec = entry.formula === 'per_clip' ? Number(Object.keys(entry.microUsdByDuration)[0]) : 1;
  const resolution = spec.resolutions.includes('720p') ? '720p' : spec.resolutions[0];
  const est = estimatePrice({ [spec.id]: entry }, { model: spec.id, durationSec, aspectRatio: '16:9', ...(resolution ? { resolution } : {}), inputVideos: [], referenceImages: 0 });
  return est.known ? Math.round(est.totalMicroUsd / durationSec) : null;
}

/** Attaches provider, its price entry and a headline per-second figure to a capability spec. */
export function priceModel(spec: ModelSpec, provider: string, table: PriceTable): ModelInfo {
  const entry = table[spec.id];
  return {
    ...spec,
    provider,
    microUsdPerSecond: entry ? headlinePerSecond(entry, spec) : null,
    priceAsOf: entry?.asOf ?? null,
    price: entry ?? null,
  };
}
