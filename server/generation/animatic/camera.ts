/**
 * Camera moves as zoompan expressions. A move is a view rectangle travelling over a still canvas;
 * every move starts on the whole picture (zoom 1, or the picture's own rectangle for pull-out), so
 * frame 0 is the opening frame unchanged: that is what makes a chained shot continue its source.
 */
export const CAMERA_MOVES = ['static', 'push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'orbit'] as const;
export type CameraMove = (typeof CAMERA_MOVES)[number];

const ALIASES: Readonly<Record<string, CameraMove>> = {
  'zoom-in': 'push-in',
  'dolly-in': 'push-in',
  'push': 'push-in',
  'zoom-out': 'pull-out',
  'dolly-out': 'pull-out',
  'pull-back': 'pull-out',
  'pull': 'pull-out',
  'arc': 'orbit',
  'locked': 'static',
  'locked-off': 'static',
};

/** Maps free text ("Push in", "pan_left", "dolly out") to a move; anything unknown is static. */
export function normalizeCamera(text: string | undefined): CameraMove {
  const key = (text ?? '').trim().toLowerCase().replace(/[\s_]+/g, '-');
  if ((CAMERA_MOVES as readonly string[]).includes(key)) return key as CameraMove;
  return ALIASES[key] ?? 'static';
}

/** How much a pull-out widens: the canvas is the picture plus a blurred border this much larger. */
export const PULL_OUT_ZOOM = 1.25;

export interface ZoomPanExpr {
  z: string;
  x: string;
  y: string;
}

export interface CameraParams {
  frames: number;
  /** Scales the move's strength, 0.85..1.15, from the seed. */
  amount: number;
  /** +1 or -1: which way an orbit turns, from the seed. */
  direction: 1 | -1;
}

const CENTER_X = '(iw-iw/zoom)/2';
const CENTER_Y = '(ih-ih/zoom)/2';

/** zoompan `z`, `x`, `y` for `move`; `on` is the output frame index (0 on the first frame). */
export function cameraExpressions(move: CameraMove, p: CameraParams): ZoomPanExpr {
  const last = Math.max(1, p.frames - 1);
  const t = `(on/${last})`; // progress 0..1
  const ease = `(${t}*${t}*(3-2*${t}))`; // smoothstep: starts and stops gently
  const early = `(1-pow(1-min(1,on/${fix(last * 0.4)}),2))`; // reaches 1 at 40 % and stays
  const k = (v: number) => fix(v * p.amount);
  switch (move) {
    case 'static':
      return { z: '1', x: '0', y: '0' };
    case 'push-in':
      return { z: `1+${k(0.3)}*${ease}`, x: CENTER_X, y: CENTER_Y };
    case 'pull-out':
      return { z: `${fix(PULL_OUT_ZOOM)}-${fix(PULL_OUT_ZOOM - 1)}*${ease}`, x: CENTER_X, y: CENTER_Y };
    case 'pan-left':
    case 'pan-right': {
      const side = move === 'pan-left' ? '-' : '+';
      return { z: `1+${k(0.3)}*${early}`, x: `(iw-iw/zoom)*(0.5${side}0.5*${ease})`, y: CENTER_Y };
    }
    case 'tilt-up':
    case 'tilt-down': {
      const side = move === 'tilt-up' ? '-' : '+';
      return { z: `1+${k(0.3)}*${early}`, x: CENTER_X, y: `(ih-ih/zoom)*(0.5${side}0.5*${ease})` };
    }
    case 'orbit': {
      // A slow circle of the view centre (top, side, bottom, other side) while easing in a little.
      const turn = `${fix(1.5 * Math.PI)}*${t}`;
      return {
        z: `1+${k(0.2)}*${ease}`,
        x: `(iw-iw/zoom)*(0.5+(${fix(0.45 * p.direction)})*sin(${turn}))`,
        y: `(ih-ih/zoom)*(0.5-0.45*cos(${turn}))`,
      };
    }
  }
}

/** Fixed-precision numbers, so the same inputs always give the same filter text. */
export function fix(n: number): string {
  return Number(n.toFixed(6)).toString();
}
