/**
 * Frame rates as exact rationals and the time notations each export format speaks: SMPTE
 * non-drop timecode (EDL), rational seconds (FCPXML) and plain seconds (sidecars, headers).
 */

/** A frame rate `num/den` frames per second, e.g. 24/1 or 24000/1001. */
export interface FrameRate {
  num: number;
  den: number;
  /** num / den */
  value: number;
}

const NTSC_BASES = [24, 30, 60, 120] as const;

/** The exact rational for a board's `fps` number: NTSC rates (23.976…) become n*1000/1001. */
export function frameRate(fps: number): FrameRate {
  const safe = Number.isFinite(fps) && fps > 0 ? fps : 24;
  for (const base of NTSC_BASES) {
    if (Math.abs(safe - (base * 1000) / 1001) < 0.01) return { num: base * 1000, den: 1001, value: (base * 1000) / 1001 };
  }
  if (Number.isInteger(safe)) return { num: safe, den: 1, value: safe };
  // Anything else (12.5, 7.5…): thousandths, reduced.
  const num = Math.round(safe * 1000);
  const g = gcd(num, 1000);
  return { num: num / g, den: 1000 / g, value: num / 1000 };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Whole frames in `seconds` at `rate`, rounded to the nearest frame. */
export function secondsToFrames(seconds: number, rate: FrameRate): number {
  return Math.max(0, Math.round((seconds * rate.num) / rate.den));
}

/** Seconds of `frames` at `rate`. */
export function framesToSeconds(frames: number, rate: FrameRate): number {
  return (frames * rate.den) / rate.num;
}

/**
 * SMPTE non-drop-frame timecode `HH:MM:SS:FF`. Fractional rates count at their nominal rate
 * (23.976 counts 24 frames a second), which is what FCM: NON-DROP FRAME means.
 */
export function timecode(frames: number, rate: FrameRate): string {
  const nominal = Math.max(1, Math.round(rate.value));
  const ff = frames % nominal;
  const totalSeconds = Math.floor(frames / nominal);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600) % 24;
  return [hh, mm, ss, ff].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Frames in one hour of timecode: where the record side of an edit list starts (01:00:00:00). */
export function oneHourFrames(rate: FrameRate): number {
  return 3600 * Math.max(1, Math.round(rate.value));
}

/** FCPXML rational seconds: `0s`, `72/24s`, `72072/24000s`; never reduced, as Final Cut writes them. */
export function rationalSeconds(frames: number, rate: FrameRate): string {
  if (frames === 0) return '0s';
  return rate.den === 1 ? `${frames}/${rate.num}s` : `${frames * rate.den}/${rate.num}s`;
}
