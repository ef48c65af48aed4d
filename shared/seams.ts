/**
 * Seam scores: how well a chained cut holds, from the upstream take's last frames to the
 * downstream take's first frames (server/seams/ measures them with ffmpeg). Shared so the
 * Sequence view, the exports and the API speak of one threshold and one set of reasons.
 */

/** A seam scoring below this is flagged as bad (the badge, the exports' `bad`). */
export const SEAM_THRESHOLD = 0.6;

/**
 * How the three measures weigh in the score (they sum to 1): the picture's structure counts most,
 * then its colours, then whether the motion keeps its direction. Documented in docs/decisions.md.
 */
export const SEAM_WEIGHTS = { ssim: 0.5, colour: 0.3, motion: 0.2 } as const;

/** Each measure's own line: past it, the seam names it as a reason, whatever the total. */
export const SEAM_LIMITS = { ssim: 0.5, colourDistance: 0.3, motion: 0.5 } as const;

/** The measures of one scored seam, each in [0, 1]. */
export interface SeamMeasures {
  /** Structural similarity of the last upstream frame and the first downstream frame (1 = same picture). */
  ssim: number;
  /** Colour histogram distance of the same two frames (0 = same colours, 1 = none shared). */
  colourDistance: number;
  /** Agreement of the motion direction before and after the cut (1 = same way or both still, 0 = reversed). */
  motion: number;
}

/**
 * One chained cut's seam, as the API and the exports give it. `pending`: not measured yet (it is
 * queued); `not-scored`: it cannot be measured, `why` says so (no clip, a clip gone, ffmpeg failed).
 */
export type SeamView = {
  upstreamShotId: string;
  downstreamShotId: string;
  upstreamTakeId: string;
  downstreamTakeId: string;
} & (
  | { status: 'pending' }
  | { status: 'not-scored'; why: string; at: string }
  | ({ status: 'scored'; score: number; bad: boolean; reasons: string[]; at: string } & SeamMeasures)
);

export interface SeamList {
  threshold: number;
  seams: SeamView[];
}

/** The total of the measures, rounded to 3 places. */
export function seamScore(m: SeamMeasures): number {
  const s = SEAM_WEIGHTS.ssim * m.ssim + SEAM_WEIGHTS.colour * (1 - m.colourDistance) + SEAM_WEIGHTS.motion * m.motion;
  return Math.round(Math.min(1, Math.max(0, s)) * 1000) / 1000;
}

/** Why a seam does not hold, in words, each measure past its own line (empty when none is). */
export function seamReasons(m: SeamMeasures): string[] {
  const out: string[] = [];
  if (m.ssim < SEAM_LIMITS.ssim) out.push('picture jump');
  if (m.colourDistance > SEAM_LIMITS.colourDistance) out.push('colour jump');
  if (m.motion < SEAM_LIMITS.motion) out.push('motion changes direction');
  return out;
}

/** Whether a score is under the threshold. */
export function isBadSeam(score: number): boolean {
  return score < SEAM_THRESHOLD;
}
