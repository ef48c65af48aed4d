import { MAX_SHOT_DURATION_SEC } from '../../../shared/doc/schema.js';
import { MediaError } from '../../assets/media.js';
import { animaticSize, isAspectRatio } from './aspect.js';
import { CAMERA_MOVES, normalizeCamera, type CameraMove } from './camera.js';
import { pick, seededRandom } from './random.js';
import type { AnimaticInput } from './types.js';

export interface FrameRate {
  num: number;
  den: number;
  /** num/den */
  value: number;
  /** As ffmpeg reads it: `24/1`, `30000/1001`. */
  text: string;
}

/** What `AnimaticInput` means once checked: sizes, frame count, the opening plate and insets. */
export interface AnimaticPlan {
  width: number;
  height: number;
  fps: FrameRate;
  frames: number;
  seed: number;
  camera: CameraMove;
  /** 0.85..1.15 and ±1, from the seed. */
  amount: number;
  direction: 1 | -1;
  /** A coloured glow drifting across the picture: the seed's palette and path (see graph.ts). */
  sweep: Sweep;
  /** The opening picture; absent: a procedural background. */
  plate?: string;
  endFrame?: string;
  insets: string[];
  /** The soundtrack; absent: a silent clip. */
  audio?: string;
  title: string;
  prompt: string;
}

/** Hue 0..360 and where the glow's centre starts and ends, as fractions of the frame. */
export interface Sweep {
  hue: number;
  from: readonly [number, number];
  to: readonly [number, number];
}

/** Moves the seed picks from when the shot names none: every one visibly moves. */
const SEEDED_MOVES = CAMERA_MOVES.filter((m) => m !== 'static');

export const DEFAULT_ANIMATIC_FPS = 24;
const MAX_ANIMATIC_FPS = 120;

/** Checks `input` and works out the render; throws `MediaError('invalid_argument')` naming the bad field. */
export function planAnimatic(input: AnimaticInput): AnimaticPlan {
  const bad = (msg: string): never => {
    throw new MediaError('invalid_argument', `animatic: ${msg}`);
  };
  const { durationSec } = input;
  if (!(typeof durationSec === 'number' && Number.isFinite(durationSec) && durationSec > 0 && durationSec <= MAX_SHOT_DURATION_SEC)) {
    bad(`durationSec must be in (0, ${MAX_SHOT_DURATION_SEC}], got ${String(durationSec)}`);
  }
  if (!isAspectRatio(input.aspectRatio)) bad(`unsupported aspectRatio ${String(input.aspectRatio)}`);
  if (!(typeof input.seed === 'number' && Number.isFinite(input.seed))) bad('seed must be a finite number');
  const fps = frameRate(input.fps ?? DEFAULT_ANIMATIC_FPS) ?? bad(`fps must be 1..${MAX_ANIMATIC_FPS} or an NTSC rate, got ${String(input.fps)}`);
  for (const [name, value] of [['title', input.title], ['prompt', input.prompt], ['camera', input.camera]] as const) {
    if (value !== undefined && typeof value !== 'string') bad(`${name} must be a string`);
  }
  const refs = input.referenceImages ?? [];
  if (!Array.isArray(refs)) bad('referenceImages must be a list of paths');
  const files = [input.chainFrame, input.startFrame, input.endFrame, ...refs];
  if (files.some((f) => f !== undefined && (typeof f !== 'string' || f === ''))) bad('image paths must be non-empty strings');
  if (input.audio !== undefined && (typeof input.audio !== 'string' || input.audio === '')) bad('audio must be a non-empty path');

  const seed = Math.trunc(input.seed) >>> 0;
  const rand = seededRandom(seed);
  const opening = input.chainFrame ?? input.startFrame;
  const plate = opening ?? refs[0];
  const { width, height } = animaticSize(input.aspectRatio);
  return {
    width,
    height,
    fps,
    frames: Math.max(1, Math.round(durationSec * fps.value)),
    seed,
    // A named move is honoured (even 'static'); with none, the seed picks one, so two takes of a
    // shot that only differ in seed move differently.
    camera: input.camera?.trim() ? normalizeCamera(input.camera) : pick(rand, SEEDED_MOVES),
    amount: 0.85 + 0.3 * rand(),
    direction: rand() < 0.5 ? 1 : -1,
    sweep: seededSweep(rand),
    ...(plate ? { plate } : {}),
    ...(input.endFrame ? { endFrame: input.endFrame } : {}),
    insets: opening ? refs : refs.slice(1),
    ...(input.audio ? { audio: input.audio } : {}),
    title: input.title ?? '',
    prompt: input.prompt ?? '',
  };
}

/** Integer rates, and the NTSC ones (23.976, 29.97, 59.94) as exact fractions; null otherwise. */
export function frameRate(fps: number): FrameRate | null {
  if (typeof fps !== 'number' || !Number.isFinite(fps)) return null;
  if (Number.isInteger(fps) && fps >= 1 && fps <= MAX_ANIMATIC_FPS) return { num: fps, den: 1, value: fps, text: `${fps}/1` };
  const base = Math.round(fps * 1.001);
  if ([24, 30, 60].includes(base) && Math.abs(fps - (base * 1000) / 1001) < 0.01) {
    const num = base * 1000;
    return { num, den: 1001, value: num / 1001, text: `${num}/1001` };
  }
  return null;
}

/** The glow crosses the frame through its middle along a seeded direction, in a seeded colour. */
function seededSweep(rand: () => number): Sweep {
  const hue = rand() * 360;
  const angle = rand() * 2 * Math.PI;
  const [dx, dy] = [0.45 * Math.cos(angle), 0.45 * Math.sin(angle)];
  return { hue, from: [0.5 - dx, 0.5 - dy], to: [0.5 + dx, 0.5 + dy] };
}
