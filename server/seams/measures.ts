/**
 * The pure half of seam scoring: colour histogram distance and motion direction, from small
 * frames ffmpeg has already decoded and scaled to one size (frames.ts). Structural similarity is
 * ffmpeg's own `ssim` filter (frames.ts); these two have no printable ffmpeg 5.1 filter output
 * (see docs/decisions.md), so they are counted here, on a few thousand pixels per frame.
 */

/** A decoded frame: `width` x `height` pixels, RGB, 3 bytes each. */
export interface RgbFrame {
  width: number;
  height: number;
  rgb: Uint8Array;
}

const BINS = 16;

/**
 * Distance of the two frames' colour histograms, in [0, 1]: per channel, 16 bins, half the L1
 * distance of the normalised histograms (the share of pixels that would have to change bin),
 * averaged over R, G and B. 0 for the same colours, 1 for colours the other frame has none of.
 */
export function colourDistance(a: RgbFrame, b: RgbFrame): number {
  const ha = histogram(a);
  const hb = histogram(b);
  let sum = 0;
  for (let i = 0; i < ha.length; i++) sum += Math.abs(ha[i]! - hb[i]!);
  return Math.min(1, sum / 2 / 3);
}

function histogram(f: RgbFrame): Float64Array {
  const h = new Float64Array(3 * BINS);
  const n = f.width * f.height;
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) h[c * BINS + (f.rgb[p * 3 + c]! >> 4)]! += 1 / n;
  }
  return h;
}

/** A motion vector in pixels per frame of the scaled frames. */
export interface Motion {
  dx: number;
  dy: number;
}

/** Largest shift searched across the window, in pixels of the scaled frames (10 of 128: a brisk pan). */
const SEARCH = 10;
/** Slower than this (pixels per frame, scaled) counts as still. */
const STILL = 0.1;

/**
 * The global motion across the frames, per frame: the whole-pixel shift that best lines the last
 * frame up with the first (least mean absolute luma difference over the overlap; standing still
 * wins near-ties, so noise reads as still), divided by the frames between them. Measured across
 * the whole window rather than frame to frame, since a pan moves less than a pixel per frame at
 * this size. A pan, a tracking shot or a subject crossing the frame moves most pixels one way;
 * that way is what the cut must keep.
 */
export function meanMotion(frames: readonly RgbFrame[]): Motion {
  if (frames.length < 2) return { dx: 0, dy: 0 };
  const first = frames[0]!;
  const s = bestShift(luma(first), luma(frames[frames.length - 1]!), first.width, first.height);
  return { dx: s.dx / (frames.length - 1), dy: s.dy / (frames.length - 1) };
}

/**
 * How well the motion after the cut keeps the motion before it, in [0, 1]: 1 when both are still
 * or move the same way, 0.5 when one moves and the other does not (a move starts or stops at the
 * cut), and otherwise (1 + cos of the angle between them) / 2, so 0 for a reversal.
 */
export function motionAgreement(before: Motion, after: Motion): number {
  const a = Math.hypot(before.dx, before.dy);
  const b = Math.hypot(after.dx, after.dy);
  if (a < STILL && b < STILL) return 1;
  if (a < STILL || b < STILL) return 0.5;
  const cos = (before.dx * after.dx + before.dy * after.dy) / (a * b);
  return Math.round(((1 + cos) / 2) * 1000) / 1000;
}

function luma(f: RgbFrame): Float32Array {
  const out = new Float32Array(f.width * f.height);
  for (let p = 0; p < out.length; p++) out[p] = 0.299 * f.rgb[p * 3]! + 0.587 * f.rgb[p * 3 + 1]! + 0.114 * f.rgb[p * 3 + 2]!;
  return out;
}

function bestShift(prev: Float32Array, next: Float32Array, w: number, h: number): Motion {
  let best = { dx: 0, dy: 0, cost: meanAbsDiff(prev, next, w, h, 0, 0) };
  for (let dy = -SEARCH; dy <= SEARCH; dy++) {
    for (let dx = -SEARCH; dx <= SEARCH; dx++) {
      if (dx === 0 && dy === 0) continue;
      const cost = meanAbsDiff(prev, next, w, h, dx, dy);
      // A shift must beat standing still clearly: flat areas match at any shift.
      if (cost < best.cost * 0.97) best = { dx, dy, cost };
    }
  }
  return { dx: best.dx, dy: best.dy };
}

/** Mean |next(x, y) - prev(x - dx, y - dy)| over the pixels both frames cover. */
function meanAbsDiff(prev: Float32Array, next: Float32Array, w: number, h: number, dx: number, dy: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
    for (let x = Math.max(0, dx); x < Math.min(w, w + dx); x++) {
      sum += Math.abs(next[y * w + x]! - prev[(y - dy) * w + (x - dx)]!);
      n++;
    }
  }
  return n > 0 ? sum / n : Infinity;
}
