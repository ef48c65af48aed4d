import type { AspectRatio } from './aspect.js';

/** What the animatic renders: one shot's inputs, all files local paths. */
export interface AnimaticInput {
  /** Clip length; the output holds `round(durationSec * fps)` frames. */
  durationSec: number;
  aspectRatio: AspectRatio;
  /** Default 24; integers 1..120, or 23.976 / 29.97 / 59.94. */
  fps?: number;
  /** Picks the procedural background and varies the camera move; same seed + inputs = same frames. */
  seed: number;
  title: string;
  prompt: string;
  /** 'static', 'push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'orbit'; anything else is static. */
  camera?: string;
  /** Image mode: the literal first frame. Ignored when `chainFrame` is set. */
  startFrame?: string;
  /** Cross-faded in over the last second; the final frame is this picture. */
  endFrame?: string;
  /** Reference mode: the first is the plate when no frame is given, the others appear as insets. */
  referenceImages?: string[];
  /** The previous take's last frame: the opening frame, so a chain visibly continues. */
  chainFrame?: string;
  /** A sound (the shot's first assigned audio reference): the clip's soundtrack, cut or padded with silence to its length. */
  audio?: string;
}

export interface AnimaticResult {
  durationSec: number;
  width: number;
  height: number;
  fps: number;
}

export interface AnimaticOptions {
  /** Per-render ffmpeg time limit; default: the media toolbox's. */
  timeoutMs?: number;
  /** Where caption files are written (a fresh sub-directory, removed afterwards); default os.tmpdir(). */
  tmpDir?: string;
  /** x264 threads; fixed so output bytes do not depend on the machine's core count. Default 2. */
  threads?: number;
}
