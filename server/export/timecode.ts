/**
 * The time notations each export format speaks: SMPTE non-drop timecode (EDL) and rational
 * seconds (FCPXML). Frame rates and frame counting are shared with the client (shared/sequence/rate.ts).
 */

import { nominalFps, type FrameRate } from '../../shared/sequence/rate.js';

export { frameRate, framesToSeconds, secondsToFrames, type FrameRate } from '../../shared/sequence/rate.js';

/**
 * SMPTE non-drop-frame timecode `HH:MM:SS:FF`. Fractional rates count at their nominal rate
 * (23.976 counts 24 frames a second), which is what FCM: NON-DROP FRAME means.
 */
export function timecode(frames: number, rate: FrameRate): string {
  const nominal = nominalFps(rate);
  const ff = frames % nominal;
  const totalSeconds = Math.floor(frames / nominal);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600) % 24;
  return [hh, mm, ss, ff].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Frames in one hour of timecode: where the record side of an edit list starts (01:00:00:00). */
export function oneHourFrames(rate: FrameRate): number {
  return 3600 * nominalFps(rate);
}

/** FCPXML rational seconds: `0s`, `72/24s`, `72072/24000s`; never reduced, as Final Cut writes them. */
export function rationalSeconds(frames: number, rate: FrameRate): string {
  if (frames === 0) return '0s';
  return rate.den === 1 ? `${frames}/${rate.num}s` : `${frames * rate.den}/${rate.num}s`;
}
