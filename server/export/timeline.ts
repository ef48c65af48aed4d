/**
 * The shared sequence plan (shared/sequence/plan.ts) for a board snapshot, with what only the
 * server knows attached: each take cut's clip asset row (bytes to join, size to scale) and the
 * sequence's picture size. Every export writes from this, so they all match the Sequence tab.
 */
import { z } from 'zod';
import { MAX_CROSSFADE_SEC } from '../../shared/doc/schema.js';
import { planSequence, slateLabel, type PlanOptions, type SlateCut, type TakeCut } from '../../shared/sequence/plan.js';
import type { FrameRate } from '../../shared/sequence/rate.js';
import type { AssetsTable } from '../db/schema.js';
import type { ExportShot, ExportSnapshot } from './board-snapshot.js';

export type Cut = (TakeCut & { entry: ExportShot; clip: AssetsTable }) | (SlateCut & { entry: ExportShot; label: string });

export interface Timeline {
  title: string;
  rate: FrameRate;
  width: number;
  height: number;
  cuts: Cut[];
  /** Length of the whole sequence in frames. */
  frames: number;
  options: PlanOptions;
}

/** The plan of `snap` with the board's own settings, or `overrides` (API query) over them. */
export function planTimeline(snap: ExportSnapshot, overrides: Partial<PlanOptions> = {}): Timeline {
  const clips = new Map(snap.shots.flatMap((e) => (e.clip ? [[e.shot.id, e.clip] as const] : [])));
  const plan = planSequence(
    {
      meta: { ...snap.meta, ...overrides },
      shots: snap.shots.map((e) => e.shot),
      takes: Object.fromEntries(snap.shots.map((e) => [e.shot.id, e.take ? [e.take] : []])),
    },
    // The document may name a clip this server cannot join: then the shot is a slate saying so.
    (shotId) => {
      const clip = clips.get(shotId);
      if (!clip || clip.kind !== 'video') return 'the selected take’s clip is missing';
      return clip.duration_sec && clip.duration_sec > 0 ? undefined : 'the selected take’s clip has no duration';
    },
  );
  const entries = new Map(snap.shots.map((e) => [e.shot.id, e]));
  const cuts = plan.cuts.map((c): Cut => {
    const entry = entries.get(c.shotId)!;
    return c.kind === 'take' ? { ...c, entry, clip: clips.get(c.shotId)! } : { ...c, entry, label: slateLabel(c) };
  });
  const { width, height } = sequenceSize(cuts, snap.meta.aspectRatio);
  return { title: snap.title, rate: plan.rate, width, height, cuts, frames: plan.frames, options: plan.options };
}

/** The crossfade frames a cut starts with (0 for a hard cut). */
export const fadeIn = (cut: Pick<Cut, 'transition'> | undefined) => (cut?.transition.kind === 'crossfade' ? cut.transition.frames : 0);

/** The shots shown as slates (no usable take), for headers and the sidecar. */
export const slates = (t: Timeline) => t.cuts.filter((c): c is Extract<Cut, { kind: 'slate' }> => c.kind === 'slate');

/**
 * The board's picture size: the most common clip size with the board's shape (fewest clips to
 * scale), ties to the larger. With no clip of that shape, the most common height at the board's
 * aspect ratio (360 with no clip at all). Always even on both sides (yuv420p).
 */
export function sequenceSize(cuts: readonly Cut[], aspect: string): { width: number; height: number } {
  const [aw, ah] = aspect.split(':').map(Number) as [number, number];
  const ratio = aw > 0 && ah > 0 ? aw / ah : 16 / 9;
  const counts = new Map<string, { width: number; height: number; n: number }>();
  for (const c of cuts) {
    if (c.kind !== 'take') continue;
    const k = `${c.clip.width}x${c.clip.height}`;
    const e = counts.get(k) ?? { width: c.clip.width, height: c.clip.height, n: 0 };
    e.n++;
    counts.set(k, e);
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n || b.width * b.height - a.width * a.height);
  const shaped = ranked.find((s) => Math.abs(s.width / s.height - ratio) / ratio < 0.02);
  if (shaped) return { width: even(shaped.width), height: even(shaped.height) };
  const height = even(ranked[0]?.height ?? 360);
  return { width: even(height * ratio), height };
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

const TRIM_WORDS = 'must be 1 or 0';
const FADE_WORDS = `must be a number of seconds between 0 and ${MAX_CROSSFADE_SEC}`;

/**
 * The export query's overrides of the board's own settings (API callers); an empty value counts
 * as none. The API document shows this schema for every export route.
 */
export const TimelineQuery = z.object({
  trimOverlap: z
    .enum(['1', '0', 'true', 'false', ''], { message: TRIM_WORDS })
    .optional()
    .describe('Override the board’s "trim overlap" setting: 1 (or true) trims chained shots’ shared frames, 0 (or false) keeps them'),
  crossfade: z
    .union([z.literal(''), z.coerce.number({ message: FADE_WORDS }).min(0, FADE_WORDS).max(MAX_CROSSFADE_SEC, FADE_WORDS)], { message: FADE_WORDS })
    .optional()
    .describe(`Override the board’s crossfade between cuts, in seconds (0 to ${MAX_CROSSFADE_SEC})`),
});

/**
 * Reads `trimOverlap` and `crossfade` overrides from a query (the board's own settings apply
 * when absent); a bad value is a 400 naming the field and the allowed values.
 */
export function parseTimelineOptions(query: (name: string) => string | undefined): Partial<PlanOptions> | { error: string; field: string } {
  const parsed = TimelineQuery.safeParse({ trimOverlap: query('trimOverlap'), crossfade: query('crossfade') });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]!.path[0]);
    return { error: `${field} ${parsed.error.issues[0]!.message}`, field };
  }
  const { trimOverlap: trim, crossfade: fade } = parsed.data;
  const out: Partial<PlanOptions> = {};
  if (trim !== undefined && trim !== '') out.trimOverlap = trim === '1' || trim === 'true';
  if (fade !== undefined && fade !== '') out.crossfadeSec = fade;
  return out;
}
