import { Transform, type TransformCallback } from 'node:stream';
import { REFUSAL_BYTES, refusalFor, sniff } from './sniff.js';
import { TooLargeError } from './blob-store.js';

export interface AssetLimits {
  imageMaxBytes: number;
  videoMaxBytes: number;
  /** Voice lines, music, ambience: a few minutes of WAV at most (48 kHz 24-bit stereo is ~17 MB a minute). */
  audioMaxBytes: number;
}

export const DEFAULT_ASSET_LIMITS: AssetLimits = { imageMaxBytes: 30 * 1024 * 1024, videoMaxBytes: 500 * 1024 * 1024, audioMaxBytes: 50 * 1024 * 1024 };

/** The size limit of a sniffed kind. */
export function maxBytesOf(limits: AssetLimits, kind: 'image' | 'video' | 'audio'): number {
  return kind === 'image' ? limits.imageMaxBytes : kind === 'video' ? limits.videoMaxBytes : limits.audioMaxBytes;
}

export class UnsupportedMediaError extends Error {
  override readonly name = 'UnsupportedMediaError';
}

/** Enough for every magic number, and for `refusalFor` to name an SVG behind an XML prologue. */
const HEAD = REFUSAL_BYTES;

/**
 * Enforces the per-kind size limit while the upload streams: the first bytes say image, video or
 * audio, and an image stops at the image limit instead of filling the disk up to the video one.
 * Anything that is neither fails at once. With `room` (what quotas and the disk reserve leave),
 * the stream also stops the moment it passes that, with `room`'s refusal.
 */
export function kindLimiter(limits: AssetLimits, room?: { bytes: number; refusal(bytes: number): Error }) {
  let head = Buffer.alloc(0);
  let limit: number | null = null;
  let seen = 0;
  const decide = (): Error | null => {
    const s = sniff(head);
    if (!s) return new UnsupportedMediaError(refusalFor(head));
    limit = maxBytesOf(limits, s.kind);
    return null;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (limit === null) {
        head = Buffer.concat([head, chunk]).subarray(0, HEAD);
        if (head.length >= HEAD) {
          const err = decide();
          if (err) return cb(err);
        }
      }
      if (limit !== null && seen > limit) return cb(new TooLargeError(limit));
      if (room && seen > room.bytes) return cb(room.refusal(0));
      cb(null, chunk);
    },
    flush(cb) {
      if (limit === null && head.length > 0) {
        const err = decide();
        if (err) return cb(err);
      }
      cb();
    },
  });
}
