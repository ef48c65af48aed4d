/**
 * The time notations each export format speaks: SMPTE non-drop timecode (EDL) and rational
 * seconds (FCPXML). Frame rates and frame counting are shared with the client (shared/sequence/rate.ts).
 */

import { nominalFps, type FrameRate } from '../../shared/sequence/rate.js';

export { frameRate, framesToSeconds, secondsToFrames, timecode, type FrameRate } from '../../shared/sequence/rate.js';

/** Frames in one hour of timecode: where the record side of an edit list starts (01:00:00:00). */
export function oneHourFrames(rate: FrameRate): number {
  return 3600 * nominalFps(rate);
}

/** FCPXML rational seconds: `0s`, `72/24s`, `72072/24000s`; never reduced, as Final Cut writes them. */
export function rationalSeconds(frames: number, rate: FrameRate): string {
  if (frames === 0) return '0s';
  return rate.den === 1 ? `${frames}/${rate.num}s` : `${frames * rate.den}/${rate.num}s`;
}
