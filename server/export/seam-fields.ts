/**
 * The seam score of each exported chained cut (server/seams), read as stored, and how the
 * writers spell it: CSV columns and OTIO clip metadata (`metadata.takeboard.seam`). The seam
 * belongs to the downstream shot: the cut into it.
 */
import type { SeamView } from '../../shared/seams.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { storedSeams } from '../seams/seam-scorer.js';
import type { ExportShot } from './board-snapshot.js';

/** Sets `seam` on every shot whose chained cut pairs two selected takes (after `attachChains`). */
export async function attachSeams(db: Kysely<Database>, boardId: string, shots: ExportShot[]): Promise<void> {
  const cuts = shots.flatMap((e) => {
    const up = e.chain?.upstream;
    return up?.takeId && e.chain?.takeId ? [{ e, pair: { boardId, upstreamShotId: up.shotId, downstreamShotId: e.shot.id, upstreamTakeId: up.takeId, downstreamTakeId: e.chain.takeId } }] : [];
  });
  const seams = await storedSeams(db, boardId, cuts.map((c) => c.pair));
  cuts.forEach((c, i) => (c.e.seam = seams[i]!));
}

/**
 * `seam_status`: scored, not-scored, pending, or empty for a shot with no chained cut into it;
 * `seam_score` in [0, 1]; `seam_bad` yes/no; `seam_why`: the reasons a bad seam is bad, or why it
 * could not be scored.
 */
export const SEAM_CSV_COLUMNS = ['seam_status', 'seam_score', 'seam_bad', 'seam_why'] as const;

export function seamCsvFields(seam: SeamView | undefined): (string | number)[] {
  if (!seam) return ['', '', '', ''];
  if (seam.status === 'scored') return [seam.status, seam.score, seam.bad ? 'yes' : 'no', seam.reasons.join('; ')];
  return [seam.status, '', '', seam.status === 'not-scored' ? seam.why : ''];
}

/** `metadata.takeboard.seam` of an OTIO clip: null without a chained cut into it. */
export function seamMetadata(seam: SeamView | undefined): { [key: string]: string | number | boolean | string[] | null } | null {
  if (!seam) return null;
  const base = { status: seam.status, upstreamShotId: seam.upstreamShotId, upstreamTakeId: seam.upstreamTakeId };
  if (seam.status === 'pending') return base;
  if (seam.status === 'not-scored') return { ...base, why: seam.why, at: seam.at };
  return { ...base, score: seam.score, bad: seam.bad, reasons: seam.reasons, ssim: seam.ssim, colourDistance: seam.colourDistance, motion: seam.motion, at: seam.at };
}
