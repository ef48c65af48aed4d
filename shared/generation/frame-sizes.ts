/**
 * Output frame sizes by resolution and aspect ratio, as Seedance 2.0 renders them: its tokens
 * are width x height x frames / 1024, so a token price needs the exact pixels. 720p 16:9 is
 * 1280x720 (two billed tasks reported in 2026-06 match it to the token); 720p 3:4 is 834x1112 and
 * 480p 1:1 640x640 (a vendor manual's pixel range, 2026-12). The other sizes keep each ratio at
 * about the same pixel count as its resolution's 16:9 (UNVERIFIED: docs/providers.md).
 */
import type { Resolution } from './types.js';

type Sizes = Readonly<Record<string, readonly [number, number]>>;

const SIZES: Readonly<Record<Resolution, Sizes>> = {
  '480p': { '16:9': [864, 480], '4:3': [736, 544], '1:1': [640, 640], '3:4': [544, 736], '9:16': [480, 864], '21:9': [960, 416] },
  '720p': { '16:9': [1280, 720], '4:3': [1112, 834], '1:1': [960, 960], '3:4': [834, 1112], '9:16': [720, 1280], '21:9': [1470, 630] },
  '1080p': { '16:9': [1920, 1080], '4:3': [1664, 1248], '1:1': [1440, 1440], '3:4': [1248, 1664], '9:16': [1080, 1920], '21:9': [2206, 946] },
};

/** The frame size of `resolution` at `aspectRatio`, or undefined for a ratio without one. */
export function frameSize(resolution: Resolution, aspectRatio: string): { width: number; height: number } | undefined {
  const s = SIZES[resolution]?.[aspectRatio];
  return s ? { width: s[0], height: s[1] } : undefined;
}
