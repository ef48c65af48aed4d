import { Transform, type TransformCallback } from 'node:stream';
import { REFUSAL_BYTES, refusalFor, sniff } from './sniff.js';
import { TooLargeError } from './blob-store.js';

export interface AssetLimits {
  imageMaxBytes: number;
  videoMaxBytes: number;
}

export const DEFAULT_ASSET_LIMITS: AssetLimits = { imageMaxBytes: 30 * 1024 * 1024, videoMaxBytes: 500 * 1024 * 1024 };

export class UnsupportedMediaError extends Error {
  override readonly name = 'UnsupportedMediaError';
}

/** Enough for every magic number, and for `refusalFor` to name an SVG behind an XML prologue. */
const HEAD = REFUSAL_BYTES;

/**
 * Enforces the per-kind size limit while the upload streams: the first bytes say image or video,
 * and an image stops at the image limit instead of filling the disk up to the video one.
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
    limit = s.kind === 'image' ? limits.imageMaxBytes : limits.videoMaxBytes;
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
