/**
 * Scores one seam from two local clip files: the upstream clip's last frames against the
 * downstream clip's first frames. Throws when either clip cannot be read (the caller turns that
 * into a "not scored: why" record).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Media } from '../assets/media.js';
import type { SeamMeasures } from '../../shared/seams.js';
import { clipFrames, ssim } from './frames.js';
import { colourDistance, meanMotion, motionAgreement } from './measures.js';

export async function measureSeam(media: Media, upstreamClip: string, downstreamClip: string, workDir: string): Promise<SeamMeasures> {
  const upDir = path.join(workDir, 'up');
  const downDir = path.join(workDir, 'down');
  await Promise.all([fs.mkdir(upDir, { recursive: true }), fs.mkdir(downDir, { recursive: true })]);
  const before = await clipFrames(media, upstreamClip, 'end', upDir).catch((err: unknown) => Promise.reject(new SideError('upstream', err)));
  const after = await clipFrames(media, downstreamClip, 'start', downDir).catch((err: unknown) => Promise.reject(new SideError('downstream', err)));
  const last = before[before.length - 1]!;
  const first = after[0]!;
  return {
    ssim: round(await ssim(media, last, first, workDir)),
    colourDistance: round(colourDistance(last, first)),
    motion: motionAgreement(meanMotion(before), meanMotion(after)),
  };
}

/** Which clip could not be read, and why. */
export class SideError extends Error {
  constructor(readonly side: 'upstream' | 'downstream', cause: unknown) {
    super(`the ${side} clip could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
