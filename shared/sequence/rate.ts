/**
 * Frame rates as exact rationals, and the rounding from seconds to whole frames that the plan,
 * the player and every export share (a disagreement of one frame per cut adds up over a board).
 */

/** A frame rate `num/den` frames per second, e.g. 24/1 or 24000/1001. */
export interface FrameRate {
  num: number;
  den: number;
  /** num / den */
  value: number;
}

const NTSC_BASES = [24, 30, 60, 120] as const;

/** The exact rational for a board's `fps` number: NTSC rates (23.976…) become n*1000/1001; nonsense becomes 24. */
export function frameRate(fps: number): FrameRate {
  const safe = Number.isFinite(fps) && fps > 0 && fps <= 240 ? fps : 24;
  for (const base of NTSC_BASES) {
    if (Math.abs(safe - (base * 1000) / 1001) < 0.01) return { num: base * 1000, den: 1001, value: (base * 1000) / 1001 };
  }
  if (Number.isInteger(safe)) return { num: safe, den: 1, value: safe };
  // Anything else (12.5, 7.5…): thousandths, reduced.
  const num = Math.max(1, Math.round(safe * 1000));
  const g = gcd(num, 1000);
  return { num: num / g, den: 1000 / g, value: num / g / (1000 / g) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Frames in a second of timecode: fractional rates count at their nominal rate (23.976 counts 24). */
export function nominalFps(rate: FrameRate): number {
  return Math.max(1, Math.round(rate.value));
}

/**
 * SMPTE non-drop-frame timecode `HH:MM:SS:FF` of a frame count (rounded, at least 0): what the
 * EDL writes and the player shows. Fractional rates count at their nominal rate (23.976 counts
 * 24 frames a second), which is what FCM: NON-DROP FRAME means; hours wrap at 24.
 */
export function timecode(frames: number, rate: FrameRate): string {
  const nominal = nominalFps(rate);
  const f = Math.max(0, Math.round(frames));
  const totalSeconds = Math.floor(f / nominal);
  const parts = [Math.floor(totalSeconds / 3600) % 24, Math.floor(totalSeconds / 60) % 60, totalSeconds % 60, f % nominal];
  return parts.map((n) => String(n).padStart(2, '0')).join(':');
}

/** Whole frames in `seconds` at `rate`, rounded to the nearest frame (0 for anything not a positive number). */
export function secondsToFrames(seconds: number, rate: FrameRate): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.round((seconds * rate.num) / rate.den);
}

/** Seconds of `frames` at `rate`. */
export function framesToSeconds(frames: number, rate: FrameRate): number {
  return (frames * rate.den) / rate.num;
}
