import { ASPECT_RATIOS, type AspectRatio } from '../../../shared/doc/schema.js';

export { ASPECT_RATIOS, type AspectRatio };

/**
 * Output size of an animatic per board aspect ratio: small (fast to render, fine for review),
 * even on both sides (yuv420p needs it) and divisible by 8, which keeps the camera canvas
 * arithmetic in whole pixels.
 */
export const ANIMATIC_SIZES: Readonly<Record<AspectRatio, Readonly<{ width: number; height: number }>>> = Object.freeze({
  '16:9': Object.freeze({ width: 640, height: 360 }),
  '9:16': Object.freeze({ width: 360, height: 640 }),
  '1:1': Object.freeze({ width: 480, height: 480 }),
  '4:3': Object.freeze({ width: 640, height: 480 }),
  '21:9': Object.freeze({ width: 840, height: 360 }),
});

export function isAspectRatio(value: unknown): value is AspectRatio {
  return typeof value === 'string' && (ASPECT_RATIOS as readonly string[]).includes(value);
}

/** Width and height of an animatic for `aspect`. */
export function animaticSize(aspect: AspectRatio): { width: number; height: number } {
  const size = ANIMATIC_SIZES[aspect];
  return { width: size.width, height: size.height };
}
